"""HTML list paging: the total is exact up to a cap, "N 条以上" beyond it, exact again on ``?count=exact``."""

import pytest
from django.core.paginator import Paginator

from enterprises.models import Unit
from enterprises.tests.factories import UnitFactory
from regsys import paging
from regsys.paging import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    """Seven units in a fixed order (newest code first)."""
    for _ in range(7):
        UnitFactory()
    return Unit.objects.order_by("-code")


def test_a_list_within_the_cap_is_paged_exactly_as_before(units):
    capped = CappedPaginator(units, 2, cap=7)
    plain = Paginator(units, 2)

    assert (capped.count, capped.capped, capped.num_pages) == (7, False, 4)
    for number in range(1, 5):
        page, expected = capped.page(number), plain.page(number)
        assert list(page) == list(expected)
        assert (page.has_next(), page.start_index(), page.end_index()) == (
            expected.has_next(), expected.start_index(), expected.end_index())


def test_a_list_above_the_cap_counts_cap_plus_one_and_pages_beyond_it(units):
    paginator = CappedPaginator(units, 2, cap=3)
    everything = list(units)

    assert (paginator.count, paginator.capped, paginator.num_pages, paginator.cap_display) == (4, True, 2, "3")
    third, fourth = paginator.get_page(3), paginator.get_page(4)
    assert list(third) == everything[4:6]
    assert third.has_next() is True
    assert (third.start_index(), third.end_index()) == (5, 6)
    assert list(fourth) == everything[6:7]
    assert fourth.has_next() is False
    assert fourth.has_previous() is True


def test_a_page_beyond_the_rows_of_a_capped_list_shows_the_last_page_within_the_cap(units):
    paginator = CappedPaginator(units, 2, cap=3)

    page = paginator.get_page(99)

    assert page.number == 2
    assert list(page) == list(units)[2:4]
    assert paginator.get_page("x").number == 1


def test_exact_counts_every_row(units):
    paginator = CappedPaginator(units, 2, cap=3, exact=True)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (7, False, 4)


def test_the_cap_is_one_module_constant(units, monkeypatch):
    monkeypatch.setattr(paging, "LIST_COUNT_CAP", 5)

    assert CappedPaginator(units, 2).cap == 5
    assert CappedPaginator(units, 2).capped is True
