"""Optimistic locking of grades and plan items: a stale save writes nothing and names the other change."""

import datetime

import pytest
from django.test import Client

from enterprises.choices import OperationMode
from enterprises.grading.choices import GradeStatus
from enterprises.grading.services import grades_propose, scheme_ensure
from enterprises.models import EnterpriseGrade
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UserFactory
from inspections.choices import InspectionKind
from inspections.planning.tests.test_plans import plan, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_users_change_the_same_grade():
    sd = SubdistrictFactory()
    enterprise = EnterpriseFactory(subdistrict=sd, operation_mode=OperationMode.RETAIL)
    first, second = _logged_in(UserFactory(unit=sd.unit)), _logged_in(UserFactory(unit=sd.unit))
    scheme_ensure(year=YEAR)
    grades_propose(year=YEAR, unit=sd.unit, by=None)
    grade = EnterpriseGrade.objects.get(enterprise=enterprise)
    levels = {level.code: level for level in grade.level.scheme.levels.all()}
    version = first.get(f"/grading/grades/{grade.pk}/").context["form"].initial["version"]

    saved = second.post(f"/grading/grades/{grade.pk}/change/",
                        {"level": levels["o2"].pk, "reason": "多次投诉", "version": version})
    stale = first.post(f"/grading/grades/{grade.pk}/change/",
                       {"level": levels["o3"].pk, "reason": "抽检不合格", "version": version})

    assert saved.status_code == 302
    assert stale.status_code == 400
    page = stale.content.decode()
    assert "调整理由：多次投诉 → 抽检不合格" in page
    assert f'name="version" value="{version + 1}"' in page
    grade.refresh_from_db()
    assert (grade.level.code, grade.change_reason, grade.status) == ("o2", "多次投诉", GradeStatus.CHANGED)


def test_two_users_adjust_the_same_plan_item(world, plan):  # noqa: F811
    item = plan.items.get(enterprise=world["e2"])
    first, second = _logged_in(world["officers"][0]), _logged_in(world["officers"][1])
    url = f"/planning/items/{item.pk}/"
    assert first.get(url).context["form"].initial["version"] == item.version

    saved = second.post(url, {"kind": InspectionKind.FULL, "target_month": "6", "note": "提前到6月",
                              "version": item.version})
    stale = first.post(url, {"kind": item.kind, "target_month": "9", "note": "", "version": item.version})

    assert saved.status_code == 302
    assert stale.status_code == 400
    assert "备注：提前到6月 → （空）" in stale.content.decode()
    item.refresh_from_db()
    assert (item.kind, item.target_month, item.note) == (InspectionKind.FULL, 6, "提前到6月")
