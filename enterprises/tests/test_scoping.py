import pytest
from django.core.exceptions import PermissionDenied

from enterprises.choices import Role, UnitKind
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory, UnitFactory, UserFactory
from regsys.scoping import can_edit, require_edit, scope_for, scoped

pytestmark = pytest.mark.django_db


def test_station_user_sees_only_own_unit_enterprises():
    mine = EnterpriseFactory()
    other = EnterpriseFactory()
    user = UserFactory(unit=mine.owning_unit)

    visible = list(scoped(Enterprise.objects.all(), user))

    assert visible == [mine]
    assert other not in visible


def test_section_user_sees_the_whole_district():
    section = UnitFactory(kind=UnitKind.SECTION, name="药械科")
    user = UserFactory(unit=section, role=Role.SECTION_STAFF)
    a, b = EnterpriseFactory(), EnterpriseFactory()

    assert set(scoped(Enterprise.objects.all(), user)) == {a, b}
    assert scope_for(user).district_wide


def test_station_user_cannot_edit_another_units_enterprise():
    other = EnterpriseFactory()
    user = UserFactory()

    assert not can_edit(user, other)
    with pytest.raises(PermissionDenied):
        require_edit(user, other)


def test_auditor_sees_everything_but_edits_nothing():
    enterprise = EnterpriseFactory()
    auditor = UserFactory(role=Role.AUDITOR)

    assert list(scoped(Enterprise.objects.all(), auditor)) == [enterprise]
    assert not can_edit(auditor, enterprise)


def test_user_without_unit_sees_nothing():
    EnterpriseFactory()
    user = UserFactory(unit=None)

    assert list(scoped(Enterprise.objects.all(), user)) == []


def test_scoped_queryset_has_no_distinct_so_grouping_works():
    from django.db.models import Count

    mine = EnterpriseFactory()
    EnterpriseFactory(subdistrict=mine.subdistrict)
    user = UserFactory(unit=mine.owning_unit)

    rows = list(scoped(Enterprise.objects.all(), user).values("status").annotate(n=Count("id")))

    assert rows == [{"status": "active", "n": 2}]
