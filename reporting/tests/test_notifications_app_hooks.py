"""Plans, grades, risk closures, AE evaluations and leads notify the right people and nobody else."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.choices import Role
from enterprises.grading.services import grade_change
from enterprises.models import GradeLevel, User
from enterprises.tests.factories import UserFactory
from inspections.planning.services import plan_submit
from monitoring.models import AdverseEventReport
from monitoring.services.evaluations import evaluations_scan
from monitoring.services.leads import lead_assign
from monitoring.services.risks import risk_closure_request
from regsys.choices import NotificationKind
from regsys.models import Notification
from regsys.tests.world import YEAR, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    w.leader = UserFactory(unit=w.section, role=Role.LEADER, full_name="赵科长")
    Notification.objects.all().delete()  # what building the world sent is not under test
    return w


def _recipients(kind: str) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


def test_a_submitted_plan_and_a_changed_grade_wait_for_the_approvers_only(world):
    plan_submit(plan=world.mine["plan"], by=world.mine.user)
    grade = world.mine["grade"]
    level = GradeLevel.objects.filter(scheme__year=grade.year, sector=grade.sector).exclude(pk=grade.level_id).first()
    grade_change(grade=grade, level=level, is_key=False, reason="企业已停止经营三类器械", by=world.mine.user)

    rows = list(Notification.objects.order_by("pk").values_list("user_id", "kind", "url"))
    assert rows == [
        (world.leader.pk, NotificationKind.APPROVAL_WAITING, f"/planning/plans/{world.mine['plan'].pk}/"),
        (world.leader.pk, NotificationKind.APPROVAL_WAITING, f"/grading/grades/{grade.pk}/"),
    ]


def test_a_risk_closure_request_waits_for_the_approvers(world):
    risk = world.mine["risk"]
    type(risk).objects.filter(pk=risk.pk).update(status="open")
    risk.refresh_from_db()

    risk_closure_request(risk=risk, by=world.mine.user, version=None, note="冷库已改造",
                         evidence=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))

    assert _recipients(NotificationKind.APPROVAL_WAITING) == {world.leader.pk}
    assert Notification.objects.get().url == f"/monitoring/risks/{risk.pk}/"


def test_a_lead_goes_to_the_users_of_the_unit_it_was_assigned_to(world):
    lead_assign(lead=world.mine["online_lead"], by=world.district_user, unit=world.other.unit)

    other_unit_users = set(User.objects.filter(unit=world.other.unit).values_list("pk", flat=True))
    assert {world.other.user.pk, world.other.colleague.pk} <= other_unit_users
    assert _recipients(NotificationKind.LEAD_ASSIGNED) == other_unit_users  # the 所 it went to, no one else
    assert world.mine.user.pk not in other_unit_users and world.district_user.pk not in other_unit_users


def test_an_opened_evaluation_goes_to_the_section_once(world):
    report = AdverseEventReport.objects.create(
        code="甲AE0002", reported_on=dt.date(YEAR, 1, 9), reporter_kind="use", reporter=world.mine["enterprise"],
        reporter_name=world.mine["enterprise"].name, reporter_match="credit_code", outcome="death",
        product_name="一次性使用输液器", batch="L9", unit=world.mine.unit,
    )

    evaluations_scan(reports=[report], today=dt.date(YEAR, 1, 10))
    evaluations_scan(reports=[report], today=dt.date(YEAR, 1, 11))

    assert _recipients(NotificationKind.EVALUATION) == {world.district_user.pk, world.leader.pk}  # the 药械科
    assert Notification.objects.filter(kind=NotificationKind.EVALUATION).count() == 2  # once each, not per scan
