"""The demo district's yearly filings: most on time, some late, some missing, letters, 责令改正 proposed and
confirmed — asserted with direct queries."""

import datetime as dt
import io

import pytest

from enterprises import demo as enterprises_demo
from enterprises.duties import filing_demo
from enterprises.duties.filing_selectors import filing_progress
from enterprises.models import AnnualFiling, CreditRecord
from enterprises.reference import load_reference
from regsys.bootstrap import DEMO_SEEDERS, DemoContext

pytestmark = pytest.mark.django_db


def test_the_demo_has_on_time_late_and_missing_reports_letters_and_orders():
    ctx = DemoContext(scale=0, seed=20240319, out=io.StringIO(), today=dt.date(2026, 9, 28))
    load_reference()
    enterprises_demo.seed(ctx)
    summary = filing_demo.seed(ctx)

    for year in (2025, 2026):
        for kind in ("self_report", "responsibility"):
            total = filing_progress(year, kind, as_of=ctx.today).total
            assert total.on_time > total.late > 0, (year, kind)
            assert total.missing > 0, (year, kind)
            assert 80 < total.rate < 100, (year, kind)
    assert AnnualFiling.objects.filter(year=2026, kind="self_report", sector="use").exists()  # sent, kept on file
    assert not AnnualFiling.objects.filter(submitted_on__gt=ctx.today).exists()
    proposed = AnnualFiling.objects.filter(year=2025, order_proposed_on__isnull=False)
    confirmed = proposed.filter(order_confirmed_on__isnull=False)
    assert (proposed.count(), confirmed.count()) == (6, 2)
    assert CreditRecord.objects.filter(kind="bad_credit", reason__contains="年度自查报告").count() == 2
    assert "拟责令改正 6 家，已确认 2 家" in summary
    assert DEMO_SEEDERS.index("enterprises.duties.filing_demo.seed") > DEMO_SEEDERS.index("enterprises.demo.seed")
