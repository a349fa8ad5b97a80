"""The progress page's numbers as a 所 user sees them (scoped querysets)."""

import datetime
from unittest import mock

import pytest

from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from inspections.choices import InspectionStatus
from inspections.planning.tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db
# A fixed year and a fixed "today" inside it: the figures must not depend on the day the suite runs
# (with today's year, a February inspection is still to come in January and the chart leaves it blank).
YEAR = 2025
TODAY = "inspections.planning.views_progress.timezone.localdate"


def test_station_progress_chart_counts_every_finalised_inspection_per_month(client):
    # given a 所 with three finalised inspections in January, one in February, one draft in February
    sd = SubdistrictFactory(unit=UnitFactory(name="甲市场监管所", short_name="甲所"))
    officer = UserFactory(unit=sd.unit)
    first, second = EnterpriseFactory(subdistrict=sd), EnterpriseFactory(subdistrict=sd)
    for day in (3, 10, 20):
        InspectionFactory(enterprise=first, start_date=datetime.date(YEAR, 1, day))
    InspectionFactory(enterprise=second, start_date=datetime.date(YEAR, 2, 5))
    InspectionFactory(enterprise=second, start_date=datetime.date(YEAR, 2, 6), status=InspectionStatus.DRAFT)
    # and another unit's inspection in January
    InspectionFactory(enterprise=EnterpriseFactory(), start_date=datetime.date(YEAR, 1, 4))
    client.force_login(officer)

    # when the 所 user opens the progress page on 20 February
    with mock.patch(TODAY, return_value=datetime.date(YEAR, 2, 20)):
        response = client.get(f"/planning/progress/?year={YEAR}")

    # then the chart line has 3 in January and 1 in February (not one per month), March still to come
    chart = response.context["chart"]
    assert chart["inspections"][:3] == [3, 1, None]
    assert sum(v or 0 for v in chart["inspections"]) == 4


def test_progress_chart_leaves_the_months_to_come_blank(client):
    # given a 所 user; on 25 November the December figures are still to come
    sd = SubdistrictFactory()
    client.force_login(UserFactory(unit=sd.unit))
    InspectionFactory(enterprise=EnterpriseFactory(subdistrict=sd), start_date=datetime.date(2025, 11, 3))

    with mock.patch(TODAY, return_value=datetime.date(2025, 11, 25)):
        this_year = client.get("/planning/progress/?year=2025").context["chart"]
        last_year = client.get("/planning/progress/?year=2024").context["chart"]

    assert this_year["inspections"][10:] == [1, None]
    assert this_year["done"][10:] == [0, None]
    assert last_year["inspections"][11] == 0


def test_cached_figures_equal_fresh_ones_until_refreshed(client, settings):
    # given the figures kept for five minutes and a 所 user with one finalised January inspection
    from django.core.cache import cache

    settings.REGSYS_COCKPIT_CACHE_SECONDS = 300
    cache.clear()
    sd = SubdistrictFactory()
    client.force_login(UserFactory(unit=sd.unit))
    enterprise = EnterpriseFactory(subdistrict=sd)
    InspectionFactory(enterprise=enterprise, start_date=datetime.date(YEAR, 1, 3))

    with mock.patch(TODAY, return_value=datetime.date(YEAR, 2, 20)):
        first = client.get(f"/planning/progress/?year={YEAR}")
        # when a second inspection is finalised, the page shows the kept figures until 刷新
        InspectionFactory(enterprise=enterprise, start_date=datetime.date(YEAR, 2, 4))
        cached = client.get(f"/planning/progress/?year={YEAR}")
        fresh = client.get(f"/planning/progress/?year={YEAR}&fresh=1")
        settings.REGSYS_COCKPIT_CACHE_SECONDS = 0
        uncached = client.get(f"/planning/progress/?year={YEAR}")
    cache.clear()

    # then the cached read equals the first computation, and the fresh one the records
    assert cached.context["chart"] == first.context["chart"]
    assert cached.context["chart"]["inspections"][:3] == [1, 0, None]
    assert fresh.context["chart"]["inspections"][:3] == [1, 1, None]
    assert fresh.context["chart"] == uncached.context["chart"]
    assert [(t.target.pk, t.numerator, t.denominator) for t in fresh.context["targets"]] == [
        (t.target.pk, t.numerator, t.denominator) for t in uncached.context["targets"]]
    # and the page says when the figures were computed, with a link that recomputes them
    assert "数据每 5 分钟更新" in cached.content.decode()
    assert "fresh=1" in cached.content.decode()
    assert "统计于" not in uncached.content.decode()
