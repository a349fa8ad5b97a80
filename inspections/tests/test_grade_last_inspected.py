"""``EnterpriseGrade.last_inspected_on`` after every write that can change it, and the due list reading it."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from enterprises.choices import INSPECTION_FINALISED, OperationMode, Role
from enterprises.grading.admin import GradingSchemeAdmin
from enterprises.grading.last_inspected import grades_stale_last_inspected, last_inspected
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import EnterpriseGrade, GradingScheme
from enterprises.tests.factories import EnterpriseFactory, UserFactory
from inspections import services
from inspections.choices import InspectionKind, InspectionStatus

from .factories import InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db
D = dt.date


def _graded_station():
    """A 所 with two inspectors and a graded retailer (三级, every 12 months) in 2024."""
    unit, _, (a, b) = station_with_staff()
    enterprise = EnterpriseFactory(subdistrict__unit=unit, operation_mode=OperationMode.RETAIL,
                                   provides_logistics=True)
    scheme, _ = scheme_ensure(year=2024)
    return unit, enterprise, (a, b), scheme


def _last(enterprise) -> set:
    return set(EnterpriseGrade.objects.filter(enterprise=enterprise).values_list("last_inspected_on", flat=True))


def _finalised(enterprise, officers, day, kind=InspectionKind.ROUTINE):
    inspection = InspectionFactory(enterprise=enterprise, officers=officers, start_date=day, kind=kind,
                                   conclusion="basically")
    services.inspection_finalise(inspection=inspection, by=officers[0])
    return inspection


def test_new_grades_take_the_latest_qualifying_finalised_inspection():
    unit, enterprise, (a, b), scheme = _graded_station()
    _finalised(enterprise, [a, b], D(2023, 5, 1))
    _finalised(enterprise, [a, b], D(2023, 9, 1), kind=InspectionKind.FOLLOW_UP)  # not a qualifying kind
    InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=D(2023, 10, 1))  # a draft
    assert InspectionKind.FOLLOW_UP not in scheme.qualifying_kind_list

    grades_propose(year=2024, unit=unit, by=None, as_of=D(2024, 1, 1))

    assert _last(enterprise) == {D(2023, 5, 1)}


def test_finalise_and_amend_keep_the_date():
    unit, enterprise, (a, b), scheme = _graded_station()
    chief = UserFactory(unit=unit, role=Role.LEADER)
    grades_propose(year=2024, unit=unit, by=None, as_of=D(2024, 1, 1))
    assert _last(enterprise) == {None}
    draft = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=D(2024, 3, 1), conclusion="basically")
    assert _last(enterprise) == {None}

    services.inspection_finalise(inspection=draft, by=a)
    assert _last(enterprise) == {D(2024, 3, 1)}
    earlier = _finalised(enterprise, [a, b], D(2024, 2, 1))
    assert _last(enterprise) == {D(2024, 3, 1)}

    services.inspection_amend(inspection=draft, changes={"kind": InspectionKind.FOLLOW_UP}, reason="类型录错", by=chief)
    assert _last(enterprise) == {D(2024, 2, 1)}
    services.inspection_amend(inspection=earlier, changes={"start_date": D(2024, 4, 2)}, reason="日期录错", by=chief)
    assert _last(enterprise) == {D(2024, 4, 2)}
    assert grades_stale_last_inspected() == []


def test_a_changed_scheme_recomputes_its_years_grades():
    unit, enterprise, (a, b), scheme = _graded_station()
    _finalised(enterprise, [a, b], D(2023, 5, 1))
    _finalised(enterprise, [a, b], D(2023, 9, 1), kind=InspectionKind.FOLLOW_UP)
    grades_propose(year=2024, unit=unit, by=None, as_of=D(2024, 1, 1))
    assert _last(enterprise) == {D(2023, 5, 1)}

    scheme.qualifying_kinds = f"{scheme.qualifying_kinds},{InspectionKind.FOLLOW_UP}"

    class Form:
        changed_data = ["qualifying_kinds"]

    class Request:
        user = UserFactory(unit=unit, role=Role.LEADER)

    GradingSchemeAdmin(GradingScheme, None).save_model(Request(), scheme, Form(), change=True)
    assert _last(enterprise) == {D(2023, 9, 1)}


def test_stored_date_equals_the_computed_one_and_the_command_repairs_it():
    unit, enterprise, (a, b), scheme = _graded_station()
    for day in (D(2023, 9, 1), D(2023, 2, 1), D(2023, 11, 5)):
        _finalised(enterprise, [a, b], day)
    grades_propose(year=2024, unit=unit, by=None, as_of=D(2024, 1, 1))
    computed = {g.fresh for g in EnterpriseGrade.objects.filter(enterprise=enterprise).annotate(
        fresh=last_inspected(scheme))}
    assert _last(enterprise) == computed == {D(2023, 11, 5)}

    call_command("grades_refresh_last_inspected", "--check")
    EnterpriseGrade.objects.update(last_inspected_on=None)
    with pytest.raises(CommandError):
        call_command("grades_refresh_last_inspected", "--check")
    call_command("grades_refresh_last_inspected")
    assert _last(enterprise) == {D(2023, 11, 5)}
    assert InspectionStatus.FINALISED == INSPECTION_FINALISED  # the value enterprises reads inspections by
