import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from enterprises import demo as enterprises_demo
from enterprises.choices import LicenceStatus
from inspections import demo
from inspections.choices import InspectionKind, InspectionStatus, ReferralTarget
from inspections.models import Case, Inspection, InspectionOfficer, Rectification, Referral
from regsys.bootstrap import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("load_reference", stdout=io.StringIO())
    ctx = DemoContext(scale=0, seed=7, out=None)
    enterprises_demo.seed(ctx)
    summary = demo.seed(ctx)
    return ctx, summary


def test_demo_covers_every_outcome(seeded):
    ctx, summary = seeded
    today = ctx.today

    assert "次检查" in summary
    assert Inspection.objects.filter(start_date__lt=dt.date(2023, 1, 1)).count() == 0
    assert Inspection.objects.filter(start_date__gte=today, status=InspectionStatus.FINALISED).count() == 0
    for year in range(2023, today.year):
        assert Inspection.objects.filter(kind=InspectionKind.FLIGHT, start_date__year=year).count() >= 10
    assert Inspection.objects.filter(kind=InspectionKind.SPECIAL).exists()
    routine = Inspection.objects.filter(kind=InspectionKind.ROUTINE).count()
    assert routine > Inspection.objects.exclude(kind=InspectionKind.ROUTINE).count() / 2
    assert set(Referral.objects.values_list("target", flat=True)) == set(ReferralTarget.values)
    assert Rectification.objects.filter(completed_on__isnull=True, deadline__lt=today).exists()
    assert Rectification.objects.filter(completed_on__isnull=False).exists()
    # nothing left open for years: an old order was completed (late) before the follow-up confirmed it
    stale = today - dt.timedelta(days=demo.STALE_ORDER_DAYS)
    assert Rectification.objects.filter(completed_on__isnull=True, deadline__lt=stale).count() == 0
    confirmed_before_done = Rectification.objects.filter(
        follow_up__status=InspectionStatus.FINALISED, follow_up__start_date__lt=F("completed_on")
    )
    assert confirmed_before_done.count() == 0
    never_entered = Inspection.objects.filter(status=InspectionStatus.FINALISED, provincial_entry_date__isnull=True,
                                              provincial_entry_due__lt=stale)
    assert never_entered.count() == 0
    assert Rectification.objects.filter(follow_up__kind=InspectionKind.FOLLOW_UP).count() == Rectification.objects.count()
    finalised = Inspection.objects.filter(status=InspectionStatus.FINALISED)
    assert finalised.filter(provincial_entry_date__gt=F("provincial_entry_due")).exists()
    assert finalised.filter(provincial_entry_date__isnull=True, provincial_entry_due__lt=today).exists()
    assert Case.objects.filter(fine_amount__gt=0).exists()
    assert Case.objects.filter(confiscation_amount__gt=0).exists()
    assert Case.objects.filter(penalised_persons__isnull=False).exists()
    assert Case.objects.filter(suspension_ordered=True).exists()
    assert Case.objects.filter(listed_serious_dishonest=True).exists()
    revoked = Case.objects.filter(revoked_licence__isnull=False)
    assert revoked.exists()
    assert set(revoked.values_list("revoked_licence__status", flat=True)) == {LicenceStatus.REVOKED}
    assert Inspection.objects.filter(campaigns__isnull=False).count() == 0  # inspections.campaign_demo links them
    # officers in pairs from the owning unit, each with a certificate; 人次 = people on site
    under_two = Inspection.objects.annotate(n=Count("officers")).filter(n__lt=2)
    assert under_two.count() == 0
    wrong_unit = InspectionOfficer.objects.filter(user__isnull=False).exclude(
        user__unit=F("inspection__enterprise__owning_unit")
    )
    assert wrong_unit.count() == 0
    assert InspectionOfficer.objects.filter(cert_no="").count() == 0
    staff = Inspection.objects.exclude(staff_count=0).annotate(n=Count("officers")).filter(staff_count=F("n"))
    assert staff.count() == Inspection.objects.count()
