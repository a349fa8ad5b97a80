"""Kept page parts (regsys.page_parts): the start page and 我的待办 are rendered once and kept until a write that
concerns them."""

import datetime as dt
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.choices import InspectionStatus
from inspections.models import Inspection
from inspections.tests.factories import InspectionFactory, station_with_staff
from regsys import page_parts
from regsys.celery import app

# Real commits: a test's writes must reach their on_commit bumps as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def parts_on(settings):
    settings.REGSYS_PAGE_PARTS = True
    cache.clear()
    yield
    cache.clear()


def unentered(user, enterprise, day):
    return InspectionFactory(enterprise=enterprise, officers=[user], status=InspectionStatus.FINALISED,
                             start_date=day)


def todo(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("inspections:todo"), {"horizon": "all"})
    assert response.status_code == 200
    return without_tokens(response.content.decode()), len(captured)


def without_tokens(html: str) -> str:
    """The page without its CSRF token (masked afresh in every response)."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)


@pytest.fixture
def station():
    _unit, enterprise, (user, colleague) = station_with_staff()
    first = unentered(user, enterprise, timezone.localdate() - dt.timedelta(days=60))
    return enterprise, user, colleague, first


def test_the_part_is_kept_until_a_write(client, station):
    enterprise, user, _colleague, first = station
    client.force_login(user)
    html, queries = todo(client)
    assert first.enterprise.name in html

    kept_html, kept_queries = todo(client)
    assert kept_html == html and kept_queries < queries - 5  # the lists are not read again

    client.post(reverse("inspections:todo"))  # a request that may write but did not: still kept
    assert todo(client) == (kept_html, kept_queries)

    # A write no signal sees (a bulk update) is seen by its statement
    Inspection.objects.filter(pk=first.pk).update(provincial_entry_date=timezone.localdate())
    fresh, _ = todo(client)
    assert first.enterprise.name not in fresh


def test_a_committed_save_retires_every_kept_part(client, station):
    enterprise, user, _colleague, _first = station
    client.force_login(user)
    home_before = without_tokens(client.get(reverse("home")).content.decode())
    todo_before, _ = todo(client)
    with transaction.atomic():
        unentered(user, enterprise, timezone.localdate() - dt.timedelta(days=90))

    assert todo(client)[0] != todo_before
    assert without_tokens(client.get(reverse("home")).content.decode()) != home_before


def test_a_transaction_bumps_once_and_a_rolled_back_one_not_at_all(station):
    enterprise, user, _colleague, first = station
    start = page_parts.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        first.save()
        raise RuntimeError
    assert page_parts.generation() == start

    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back ...
            first.save()
            raise RuntimeError
        for day in range(3):  # ... and three saves after it: one bump at the commit
            unentered(user, enterprise, timezone.localdate() - dt.timedelta(days=day))
        assert page_parts.generation() == start
    assert page_parts.generation() == (start[0] + 1,)


def test_sessions_and_reads_do_not_move_the_generation(client, station):
    _enterprise, user, _colleague, _first = station
    client.force_login(user)
    start = page_parts.generation()
    store = SessionStore()
    store["x"] = 1
    store.save()
    client.get(reverse("home"))
    client.get(reverse("inspections:todo"))
    assert page_parts.generation() == start


@app.task(name="regsys.tests.touch_inspections")
def touch_inspections(day: str):
    Inspection.objects.update(provincial_entry_date=dt.date.fromisoformat(day))


def test_a_finished_task_retires_kept_parts(client, station):
    _enterprise, user, _colleague, first = station
    client.force_login(user)
    html, _ = todo(client)
    touch_inspections.delay(timezone.localdate().isoformat())  # eager here; a worker's run sends the same signal
    assert first.enterprise.name not in todo(client)[0]
    assert first.enterprise.name in html


def test_a_part_is_the_users_own_and_the_days_own(client, station, monkeypatch):
    _enterprise, user, colleague, first = station
    client.force_login(user)
    mine, _ = todo(client)
    client.force_login(colleague)
    theirs, _ = todo(client)
    assert first.enterprise.name in mine and first.enterprise.name not in theirs

    client.force_login(user)  # a sign-in writes (last_login): the next read renders, the one after is kept
    todo(client)
    _, kept_queries = todo(client)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(page_parts.timezone, "localdate", lambda: tomorrow)
    _, next_day_queries = todo(client)
    assert next_day_queries > kept_queries + 5  # a new day reads the lists again


def test_off_every_request_reads_the_lists(client, station, settings):
    settings.REGSYS_PAGE_PARTS = False
    _enterprise, user, _colleague, _first = station
    client.force_login(user)
    todo(client)  # the first read after a sign-in also fills per-process caches
    _, first = todo(client)
    _, second = todo(client)
    assert first == second > 15


@pytest.mark.parametrize("url", ["inspections:unit_list", "grading:overview", "reporting:cockpit"])
def test_the_unit_list_the_cockpit_and_the_grading_progress_are_kept_too(client, station, url):
    enterprise, user, _colleague, first = station
    client.force_login(user)
    client.get(reverse(url))  # renders after the sign-in's write

    def read():
        with CaptureQueriesContext(connection) as captured:
            html = without_tokens(client.get(reverse(url)).content.decode())
        return html, len(captured)

    html, _ = read()
    kept_html, kept_queries = read()
    assert kept_html == html
    first.save()  # a write of the unit's record retires it (unchanged: the same HTML, read afresh)
    fresh_html, fresh_queries = read()
    assert fresh_html == html and fresh_queries > kept_queries


def test_a_form_in_a_kept_part_carries_this_requests_csrf_token(station):
    _enterprise, user, _colleague, _first = station
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get(reverse("reporting:cockpit"))
    kept = browser.get(reverse("reporting:cockpit")).content.decode()  # from the kept part
    assert page_parts.CSRF_PLACEHOLDER not in kept
    form = kept.split('id="cockpit-summary-form"')[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    refused = browser.post(reverse("logout"), {"csrfmiddlewaretoken": "x" * 64})
    accepted = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert refused.status_code == 403 and accepted.status_code == 302


def test_the_minutely_job_sweep_finding_nothing_keeps_the_parts(station):
    from reporting.tasks import jobs_sweep_task

    start = page_parts.generation()
    assert not any(n for counts in jobs_sweep_task.delay().get().values() for n in counts.values())
    assert page_parts.generation() == start
    touch_inspections.delay(timezone.localdate().isoformat())
    assert page_parts.generation() == (start[0] + 1,)


def test_the_apis_exact_count_is_kept_until_a_write_and_shared_by_the_same_scope(client, station):
    enterprise, user, colleague, _first = station
    client.force_login(user)
    client.get("/api/inspections/")

    def api(browser):
        with CaptureQueriesContext(connection) as captured:
            data = browser.get("/api/inspections/").json()
        return data["count"], sum('COUNT(*)' in q["sql"] for q in captured)

    assert api(client) == (1, 0)  # kept since the request before
    other = Client()
    other.force_login(colleague)  # a sign-in writes: counted again, then kept for both of them
    assert api(other) == (1, 1)
    assert api(client) == (1, 0)

    unentered(user, enterprise, timezone.localdate())  # committed at once (autocommit): a new generation
    assert api(client) == (2, 1)
    assert api(other) == (2, 0)


def test_an_api_filter_no_row_can_match_counts_zero(client, station):
    _enterprise, user, _colleague, _first = station
    client.force_login(user)
    response = client.get("/api/campaigns/", {"year": -203332945})  # beyond the column's range: no query at all
    assert response.status_code == 200 and response.json()["count"] == 0


# --- a generation per unit ------------------------------------------------------------------------------------

@pytest.fixture
def two_stations(station):
    """Station X (the ``station`` fixture) and station Y, each with an inspection not yet entered."""
    enterprise, user, _colleague, first = station
    _unit, other_enterprise, (other_user,) = station_with_staff(n_staff=1)
    other = unentered(other_user, other_enterprise, timezone.localdate() - dt.timedelta(days=30))
    return user, first, other_user, other


def test_a_write_of_another_units_record_keeps_this_units_parts(client, two_stations, django_user_model):
    user, first, other_user, other = two_stations
    chief = django_user_model.objects.create_user("chief", role="section_staff")
    clients = {}
    for who in (user, other_user, chief):
        clients[who] = Client()
        clients[who].force_login(who)  # a sign-in writes (last_login): every part retires
    for browser in clients.values():
        todo(browser)
    before = {who: todo(browser) for who, browser in clients.items()}  # kept

    response = clients[other_user].post(reverse("inspections:provincial_entry", args=[other.pk]),
                                        {"entered_on": timezone.localdate().isoformat()})
    assert response.status_code == 302 and Inspection.objects.get(pk=other.pk).provincial_entry_date

    assert todo(clients[user]) == before[user]  # X's part: kept, not read again
    assert other.enterprise.name in before[other_user][0] and other.enterprise.name not in todo(clients[other_user])[0]
    assert todo(clients[chief])[1] > before[chief][1]  # the district's part is read again

    # and the other way round: X's write leaves Y's part kept
    kept_other = todo(clients[other_user])
    clients[user].post(reverse("inspections:provincial_entry", args=[first.pk]),
                       {"entered_on": timezone.localdate().isoformat()})
    assert first.enterprise.name not in todo(clients[user])[0]
    assert todo(clients[other_user]) == kept_other


def test_the_ledger_names_the_units_a_write_concerns(two_stations):
    user, first, other_user, other = two_stations
    x, y = user.unit_id, other_user.unit_id
    start_x, start_y, start_district = page_parts.generation(x), page_parts.generation(y), page_parts.generation()

    with page_parts.ledger():
        other.summary = "复查"
        other.save()
    assert page_parts.generation(x) == start_x
    assert page_parts.generation(y) > start_y and page_parts.generation() > start_district

    # a record moved from Y to X concerns both (the units that saw it before, and after)
    start_y = page_parts.generation(y)
    with page_parts.ledger():
        other.unit_id = x
        other.enterprise = first.enterprise
        other.save()
    assert page_parts.generation(x) > start_x and page_parts.generation(y) > start_y


@pytest.mark.parametrize("write", ["bulk update", "enterprise", "user", "delete with SET NULL"])
def test_a_write_without_units_retires_every_units_parts(two_stations, write):
    user, first, other_user, other = two_stations
    x = user.unit_id
    start_x = page_parts.generation(x)
    with page_parts.ledger():
        if write == "bulk update":  # no signal says which rows: anyone's
            Inspection.objects.filter(pk=other.pk).update(summary="批量")
        elif write == "enterprise":  # shown on other units' records beyond its scope
            other.enterprise.save()
        elif write == "user":  # belongs to no unit
            other_user.save()
        else:  # samples and evaluations that named it are set to NULL by statements no signal names
            other.delete()
    assert page_parts.generation(x) > start_x


def test_a_delete_named_by_its_signals_concerns_its_units(two_stations):
    user, _first, other_user, other = two_stations
    start_x, start_y = page_parts.generation(user.unit_id), page_parts.generation(other_user.unit_id)
    with page_parts.ledger():
        other.officers.get().delete()
    assert page_parts.generation(user.unit_id) == start_x
    assert page_parts.generation(other_user.unit_id) > start_y


def test_a_rolled_back_ledger_write_bumps_nothing(two_stations):
    user, _first, other_user, other = two_stations
    start = page_parts.generation(other_user.unit_id)
    with page_parts.ledger():
        with pytest.raises(RuntimeError), transaction.atomic():
            other.save()
            raise RuntimeError
    # the statement and the signal were both seen; the ledger settles after the rollback: a spare bump at most,
    # never a missed one. What matters: a committed write inside the ledger is never missed.
    assert page_parts.generation(other_user.unit_id) >= start


def test_a_task_names_its_writes_too(two_stations):
    user, _first, other_user, other = two_stations
    x, y = user.unit_id, other_user.unit_id
    start_x, start_y = page_parts.generation(x), page_parts.generation(y)
    save_inspection.delay(other.pk)
    assert page_parts.generation(x) == start_x and page_parts.generation(y) > start_y


@app.task(name="regsys.tests.save_inspection")
def save_inspection(pk: int):
    Inspection.objects.get(pk=pk).save()


def test_a_statement_on_a_connection_django_opens_aside_moves_everything_on():
    # Django creates the test database (and runs CREATE DATABASE) on a connection of its own, not in
    # ``connections``: the wrapper must not look it up by its alias.
    aside = connection.copy("__no_db__")
    start = page_parts.generation()
    page_parts._watch(lambda *args: None, 'CREATE DATABASE "elsewhere"', None, False, {"connection": aside})
    assert page_parts.generation() > start
