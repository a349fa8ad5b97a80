"""Choice labels: get_FOO_display() reads a table built once per field and language, with Django's answers."""

from django.apps import apps
from django.utils import translation

from inspections.api.serializers import InspectionSerializer
from inspections.choices import Conclusion, InspectionKind, InspectionStatus
from inspections.models import Inspection
from regsys.choice_labels import ChoiceLabels, choice_label

PROJECT_APPS = {"enterprises", "campaigns", "inspections", "monitoring", "reporting", "regsys"}


def test_every_project_model_with_choices_reads_the_label_table():
    missing = [
        model.__name__ for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model.__name__.startswith("Historical")
        and any(f.choices for f in model._meta.concrete_fields) and not issubclass(model, ChoiceLabels)
    ]
    assert missing == []


def test_label_of_each_value_is_the_choices_label():
    field = Inspection._meta.get_field("kind")
    for value, label in InspectionKind.choices:
        assert Inspection(kind=value).get_kind_display() == str(label)
        assert choice_label(field, value) == str(label)


def test_unknown_or_empty_value_is_returned_as_it_is():
    assert Inspection(kind="no_such_kind").get_kind_display() == "no_such_kind"
    assert Inspection(conclusion="").get_conclusion_display() == ""
    assert choice_label(Inspection._meta.get_field("kind"), None) is None


def test_labels_follow_the_active_language():
    for language in ("zh-hans", None, "en", "zh-hans"):
        with translation.override(language):
            assert Inspection(status=InspectionStatus.DRAFT).get_status_display() == str(InspectionStatus.DRAFT.label)


def test_api_label_fields_give_the_display_values():
    inspection = Inspection(kind=InspectionKind.choices[0][0], conclusion=Conclusion.choices[0][0],
                            status=InspectionStatus.FINALISED)
    fields = InspectionSerializer().fields
    assert fields["kind_display"].to_representation(fields["kind_display"].get_attribute(inspection)) == str(
        InspectionKind.choices[0][1])
    assert fields["conclusion_display"].get_attribute(inspection) == str(Conclusion.choices[0][1])
    assert fields["status_display"].get_attribute(inspection) == str(InspectionStatus.FINALISED.label)
    assert fields["status_display"].read_only
