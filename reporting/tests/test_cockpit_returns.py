"""Cockpit indicators of 专项整治报表: returns filed and approved by the as-of day, worked out by hand.

One campaign, one form, units A and B (and the 药械科, which files none), due 25 March, 25 June, 25 September.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from reporting.cockpit import ind_returns
from reporting.cockpit.base import Period
from reporting.models import Return
from reporting.tests.factories import CampaignFactory, DueDateFactory

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2024, 12, 1)
Q1, Q2, Q3 = Period(2024, 1, TODAY), Period(2024, 2, TODAY), Period(2024, 3, TODAY)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def world(forms):
    a, b = UnitFactory(), UnitFactory()
    section = UnitFactory(kind=UnitKind.SECTION)
    template = next(iter(forms.values()))
    campaign = CampaignFactory(year=2024, start_date=D(2024, 1, 1), end_date=D(2024, 12, 31),
                               units=[a, b, section], forms=[template])
    mar, jun, sep = (DueDateFactory(campaign=campaign, due_on=D(2024, m, 25)) for m in (3, 6, 9))

    def ret(unit, due, submitted=None, reviewed=None, status="draft"):
        return Return.objects.create(campaign=campaign, template=template, unit=unit, due_date=due,
                                     cutoff=due.due_on, status=status, submitted_at=submitted and at(submitted),
                                     reviewed_at=reviewed and at(reviewed))

    ret(a, mar, D(2024, 3, 20), D(2024, 3, 28), "approved")
    ret(b, mar, D(2024, 4, 2), status="submitted")  # late
    ret(a, jun, D(2024, 6, 20), D(2024, 7, 3), "approved")  # approved after Q2's end
    ret(a, sep, D(2024, 9, 20), status="submitted")
    # B has filed nothing for June or September
    return {"a": a, "b": b}


def figures(period, units):
    by_code = {i.code: i for i in ind_returns.INDICATORS}
    return by_code["returns-filed"].compute(period, units), by_code["returns-approved"].compute(period, units)


def test_filed_and_approved_by_q2(world):
    a, b = world["a"], world["b"]
    filed, approved = figures(Q2, [a, b])
    # due by 30 June: 2 dates × 2 units = 4; filed A 2, B 1 (late counts) → 3
    assert (filed[a.pk].numerator, filed[a.pk].denominator, filed[a.pk].actual) == (2, 2, Decimal("100.0"))
    assert (filed[b.pk].numerator, filed[b.pk].denominator, filed[b.pk].actual) == (1, 2, Decimal("50.0"))
    assert (filed[None].numerator, filed[None].denominator, filed[None].actual) == (3, 4, Decimal("75.0"))
    # approved by 30 June: A's March only (June's approval came on 3 July)
    assert (approved[a.pk].actual, approved[b.pk].actual, approved[None].actual) == (
        Decimal("50.0"), Decimal("0.0"), Decimal("25.0"))
    assert filed[None].target == Decimal(100)


def test_as_of_excludes_later_submissions_and_approvals(world):
    a, b = world["a"], world["b"]
    filed, approved = figures(Q1, [a, b])
    # by 31 March: B's return of 2 April is not in yet
    assert (filed[None].numerator, filed[None].denominator) == (1, 2)
    assert (filed[b.pk].actual, approved[None].actual) == (Decimal("0.0"), Decimal("50.0"))
    filed, approved = figures(Q3, [a, b])
    # by 30 September: 6 due, A 3 + B 1 filed; approved A March and June
    assert (filed[None].numerator, filed[None].denominator, filed[None].actual) == (4, 6, Decimal("66.7"))
    assert (approved[None].numerator, approved[None].actual) == (2, Decimal("33.3"))


def test_nothing_due_reads_nothing_due():
    unit = UnitFactory()
    filed, _approved = figures(Q1, [unit])
    assert (filed[None].actual, filed[None].denominator, filed[unit.pk].actual) == (None, 0, None)
    assert filed[None].configured and filed[unit.pk].configured


def test_query_count_does_not_grow_with_units(world):
    def count(units):
        with CaptureQueriesContext(connection) as ctx:
            figures(Q2, units)
        return len(ctx.captured_queries)

    assert count([world["a"]]) == count([world["a"], world["b"], UnitFactory(), UnitFactory()]) <= 12


def test_urls_list_the_returns_behind_the_figures(client, world):
    a = world["a"]
    filed, approved = figures(Q2, [a, world["b"]])
    client.force_login(UserFactory(unit=UnitFactory(kind=UnitKind.SECTION), role=Role.LEADER))
    for figure in (filed[None], filed[a.pk], approved[None], approved[a.pk]):
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == figure.numerator
    # a 所 user sees only its own unit's returns behind the district's figure
    client.force_login(UserFactory(unit=world["b"]))
    assert client.get(filed[None].url).context["page"].paginator.count == 1
