"""Payload tampering: a 监管所 user sending another unit's id in any writable relation is refused and
nothing changes. The relations are read from the serializers and forms, so a new one is covered.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.urls import reverse
from rest_framework import relations, serializers
from rest_framework.test import APIClient

from inspections.models import Inspection, PlanItem
from regsys.api import ScopedRelationsMixin
from regsys.forms import ScopedChoicesMixin
from regsys.scoping import REFERENCE_DATA_MODELS
from regsys.tests.world import YEAR, build_world

pytestmark = pytest.mark.django_db

API_MODULES = ["enterprises.api.serializers", "enterprises.grading.api", "campaigns.api.serializers",
               "inspections.api.serializers", "inspections.planning.api", "reporting.api.serializers",
               "monitoring.api.evaluations", "monitoring.api.quotas", "monitoring.api.registry",
               "monitoring.api.serializers", "monitoring.api.complaints", "monitoring.api.leads",
               "monitoring.api.sampling", "monitoring.api.risks", "monitoring.api.disposal",
               "enterprises.suspension_api", "enterprises.duties.filing_api", "enterprises.duties.warehouses_api",
               "enterprises.duties.zombie_api", "enterprises.duties.udi_api", "reporting.api.cockpit",
               "regsys.notification_api"]
FORM_MODULES = ["enterprises.forms", "enterprises.grading.forms", "campaigns.forms", "inspections.forms",
                "inspections.planning.forms", "reporting.forms", "monitoring.evaluation_forms",
                "monitoring.registry_forms", "monitoring.forms", "monitoring.risk_report_forms",
                "monitoring.complaint_forms", "enterprises.calendar_forms", "monitoring.leads_forms",
                "monitoring.forms_sampling", "monitoring.risk_forms", "monitoring.disposal_forms",
                "enterprises.suspension_forms", "enterprises.duties.filing_forms",
                "enterprises.duties.warehouses_forms", "enterprises.duties.zombie_forms",
                "enterprises.duties.udi_forms", "reporting.cockpit.forms", "regsys.notification_forms"]
# model -> world object a relation to it is filled with (per unit)
WORLD_KEY = {
    "enterprises.enterprise": "enterprise", "enterprises.licence": "licence", "enterprises.unit": "unit",
    "enterprises.user": "user", "inspections.inspection": "inspection", "inspections.case": "case",
    "inspections.planitem": "plan_item", "campaigns.campaign": "campaign", "reporting.return": "return",
    "monitoring.sample": "failed_sample",  # disposal
}


def _classes(module_names, base):
    for name in module_names:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, base) and cls.__module__ == name:
                yield cls


def _writable_relations():
    """(serializer, field name, model label) for every writable related field, nested ones included."""
    found = []
    for cls in _classes(API_MODULES, serializers.BaseSerializer):
        for name, field in cls().fields.items():
            related = field.child_relation if isinstance(field, relations.ManyRelatedField) else field
            if isinstance(related, relations.RelatedField) and related.queryset is not None:
                found.append((cls, name, related.queryset.model._meta.label_lower))
    return found


RELATIONS = _writable_relations()


@pytest.fixture
def world(db):
    return build_world()


def test_every_serializer_and_form_is_scoped():
    unscoped = [cls.__name__ for cls in _classes(API_MODULES, serializers.BaseSerializer)
                if not issubclass(cls, ScopedRelationsMixin)]
    unscoped += [cls.__name__ for cls in _classes(FORM_MODULES, forms.BaseForm)
                 if not issubclass(cls, ScopedChoicesMixin)]
    assert unscoped == []
    assert {label for _, _, label in RELATIONS} <= set(WORLD_KEY) | REFERENCE_DATA_MODELS


@pytest.mark.parametrize(("serializer", "name", "label"), RELATIONS,
                         ids=[f"{c.__name__}.{n}" for c, n, _ in RELATIONS])
def test_other_units_id_is_refused_in_every_relation(world, rf, serializer, name, label):
    if label in REFERENCE_DATA_MODELS:
        pytest.skip("reference data belongs to no unit")
    request = rf.post("/")
    request.user = world.mine.user
    field = serializer(context={"request": request}).fields[name]
    related = field.child_relation if isinstance(field, relations.ManyRelatedField) else field
    key = WORLD_KEY[label]

    own = related.to_internal_value(world.mine[key].pk)
    with pytest.raises(serializers.ValidationError) as refused:
        related.to_internal_value(world.other[key].pk)

    assert own == world.mine[key]
    assert "不存在或不在你的权限范围内" in str(refused.value.detail[0])


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_patch_with_another_units_plan_item_changes_nothing(world):
    inspection = world.mine["inspection"]
    other_item = world.other["plan_item"]

    response = _api(world.mine.user).patch(f"/api/inspections/{inspection.pk}/",
                                           {"plan_item": other_item.pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["plan_item"]
    inspection.refresh_from_db()
    assert inspection.plan_item_id is None
    assert not Inspection.objects.filter(plan_item=other_item).exists()


def test_plan_item_of_the_same_enterprise_in_another_units_plan_is_refused(world):
    """Even a district user cannot let one unit's inspection fulfil another unit's plan item."""
    enterprise = world.mine["enterprise"]
    foreign_item = PlanItem.objects.create(plan=world.other["plan"], enterprise=enterprise, kind="routine")
    inspection = world.mine["inspection"]

    response = _api(world.district_user).patch(f"/api/inspections/{inspection.pk}/",
                                               {"plan_item": foreign_item.pk, "version": inspection.version},
                                               format="json")

    assert response.status_code == 400
    assert response.json() == {"plan_item": ["计划项属于其他单位的检查计划，不能由本次检查完成"]}
    inspection.refresh_from_db()
    assert inspection.plan_item_id is None


def test_own_plan_item_of_the_same_enterprise_is_accepted(world):
    inspection = world.mine["inspection"]
    item = world.mine["plan_item"]

    response = _api(world.mine.user).patch(f"/api/inspections/{inspection.pk}/", {"plan_item": item.pk, "version": inspection.version},
                                           format="json")

    assert response.status_code == 200
    inspection.refresh_from_db()
    assert inspection.plan_item_id == item.pk


def test_officer_of_another_unit_refused_and_district_squad_accepted(world):
    inspection = world.mine["inspection"]
    client = _api(world.mine.user)
    before = list(inspection.officers.values_list("user_id", flat=True))

    refused = client.patch(f"/api/inspections/{inspection.pk}/",
                           {"officers": [{"user": world.mine.user.pk}, {"user": world.other.user.pk}],
                            "version": inspection.version}, format="json")
    accepted = client.patch(f"/api/inspections/{inspection.pk}/",
                            {"officers": [{"user": world.mine.user.pk}, {"user": world.district_user.pk}],
                             "version": inspection.version}, format="json")

    assert refused.status_code == 400
    assert list(refused.json()) == ["officers"]
    assert accepted.status_code == 200
    assert sorted(before) == sorted([world.mine.user.pk, world.mine.colleague.pk])
    assert sorted(inspection.officers.values_list("user_id", flat=True)) == sorted(
        [world.mine.user.pk, world.district_user.pk])


@pytest.mark.parametrize(("path", "payload_for"), [
    ("/api/inspections/", lambda w: {"enterprise": w.mine["enterprise"].pk, "kind": "routine",
                                     "start_date": "2024-05-10", "unit": w.other.unit.pk}),
    ("/api/cases/", lambda w: {"enterprise": w.mine["enterprise"].pk, "filed_on": "2024-05-10",
                               "procedure": "ordinary", "violation": "x", "handlers": [w.other.user.pk]}),
    ("/api/cases/", lambda w: {"enterprise": w.mine["enterprise"].pk, "filed_on": "2024-05-10",
                               "procedure": "ordinary", "violation": "x",
                               "source_inspection": w.other["inspection"].pk}),
    ("/api/interviews/", lambda w: {"enterprise": w.other["enterprise"].pk, "held_on": "2024-05-10",
                                    "persons": "张三"}),
    ("/api/referrals/", lambda w: {"enterprise": w.mine["enterprise"].pk, "case": w.other["case"].pk,
                                   "target": "police", "referred_on": "2024-05-10"}),
    ("/api/licences/", lambda w: {"enterprise": w.other["enterprise"].pk, "kind": "operation_filing",
                                  "number": "浙温药监械经营备99999999号", "issuer": "x"}),
    ("/api/credit-records/", lambda w: {"enterprise": w.other["enterprise"].pk, "kind": "bad_credit",
                                        "recorded_on": "2024-05-10", "reason": "x"}),
    ("/api/returns/", lambda w: {"campaign": w.mine["campaign"].pk, "template": w.template.pk,
                                 "unit": w.other.unit.pk, "cutoff": "2024-06-20"}),
    ("/api/findings/", lambda w: {"inspection": w.other["inspection"].pk, "severity": "serious", "text": "x"}),
    ("/api/complaints/", lambda w: {"kind": "complaint", "received_on": "2024-05-10", "source": "来电",  # complaints
                                    "summary": "x", "enterprise": w.other["enterprise"].pk}),
    ("/api/complaints/", lambda w: {"kind": "complaint", "received_on": "2024-05-10", "source": "来电",  # complaints
                                    "summary": "x", "subject_name": "某店", "unit": w.other.unit.pk}),
    ("/api/samples/", lambda w: {"task": w.mine["sampling_task"].pk, "sample_no": "T-1", "link": "operation",
                                 "enterprise": w.other["enterprise"].pk, "product_name": "口罩", "batch": "1",
                                 "quantity": "10只", "sampled_on": "2024-05-10",
                                 "officers": [w.mine.user.pk, w.mine.colleague.pk]}),
    ("/api/samples/", lambda w: {"task": w.mine["sampling_task"].pk, "sample_no": "T-2", "link": "operation",
                                 "enterprise": w.mine["enterprise"].pk, "product_name": "口罩", "batch": "1",
                                 "quantity": "10只", "sampled_on": "2024-05-10",
                                 "officers": [w.mine.user.pk, w.other.user.pk]}),
    ("/api/annual-filings/", lambda w: {"enterprise": w.other["enterprise"].pk, "year": 2025, "kind": "self_report",
                                        "sector": "operation", "submitted_on": "2025-03-10"}),
    ("/api/contract-pairs/", lambda w: {"registrant": w.other["registrant"].pk, "manufacturer_name": "外省某厂",
                                        "product": "x", "cross_region": True, "other_region": "江苏省"}),
    ("/api/warehouses/", lambda w: {"enterprise": w.mine["enterprise"].pk, "home_name": "外地公司",
                                    "home_bureau": "杭州市局", "address": "x路1号",
                                    "subdistrict": w.other["subdistrict"].pk}),
    ("/api/zombie-cases/", lambda w: {"enterprise": w.other["zombie_enterprise"].pk, "year": YEAR}),
    ("/api/manufacturer-udi/", lambda w: {"enterprise": w.other["registrant"].pk, "batch": "3",  # udi
                                          "coding": "coded"}),
])
def test_create_naming_another_units_object_is_refused(world, path, payload_for):
    from regsys.tests.test_access_matrix import _fingerprint

    before = _fingerprint()

    response = _api(world.mine.user).post(path, payload_for(world), format="json")

    assert response.status_code in (400, 403, 404)
    assert _fingerprint() == before


def test_decide_with_another_units_licence_is_refused(world):
    case = world.mine["case"]

    response = _api(world.mine.user).post(f"/api/cases/{case.pk}/decide/", {
        "decided_on": "2024-06-01", "revoked_licence": world.other["licence"].pk}, format="json")

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.revoked_licence_id is None


def test_full_inspection_form_refuses_another_units_officer(client, world):
    client.force_login(world.mine.user)
    before = Inspection.objects.count()

    response = client.post(reverse("inspections:create"), {
        "enterprise": world.mine["enterprise"].pk, "kind": "routine", "start_date": "2024-05-10",
        "officers-TOTAL_FORMS": "2", "officers-INITIAL_FORMS": "0",
        "officers-0-user": world.mine.user.pk, "officers-0-cert_kind": "enforcement",
        "officers-1-user": world.other.user.pk, "officers-1-cert_kind": "enforcement",
    })

    assert response.status_code == 200
    assert response.context["officers"].forms[1].errors["user"]
    assert Inspection.objects.count() == before


def test_case_form_refuses_another_units_handler(client, world):
    client.force_login(world.mine.user)
    case = world.mine["case"]

    response = client.post(reverse("inspections:case_edit", kwargs={"pk": case.pk}), {
        "procedure": "ordinary", "filed_on": "2024-06-01", "violation": "改", "handlers": [world.other.user.pk],
    })

    assert response.status_code == 200
    assert response.context["form"].errors["handlers"]
    case.refresh_from_db()
    assert case.violation == "经营未取得注册证的第二类医疗器械"
    assert list(case.handlers.all()) == [world.mine.user]


def test_form_mixin_refuses_other_units_choices_for_every_scoped_model(world):
    """The form side of the same rule: a ModelChoiceField of each scoped model, bound to the other id."""
    for label, key in WORLD_KEY.items():
        model = type(world.mine[key])

        class Probe(ScopedChoicesMixin, forms.Form):
            target = forms.ModelChoiceField(queryset=model.objects.all())

        own = Probe({"target": world.mine[key].pk}, user=world.mine.user)
        other = Probe({"target": world.other[key].pk}, user=world.mine.user)
        assert own.is_valid(), label
        assert not other.is_valid(), label


def test_lead_disposal_naming_another_units_case_is_refused(world):
    """leads: a 所 links its online lead to a case of another unit: 400, nothing changes."""
    from regsys.tests.test_access_matrix import _fingerprint

    lead = world.mine["online_lead"]
    before = _fingerprint()

    response = _api(world.mine.user).post(f"/api/online-leads/{lead.pk}/dispose/", {
        "version": lead.version, "result": "substantiated", "checked_on": "2024-05-10",
        "case": world.other["case"].pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["case"]
    assert _fingerprint() == before
