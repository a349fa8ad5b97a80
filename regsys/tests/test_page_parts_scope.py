"""A 所's kept page parts are kept under its unit's generation (``regsys.page_parts``): a write retires them only
when it concerns a record the 所's scope shows it. That holds only if the parts read nothing else — checked
here on the demo district: each part a 所 user is shown renders the same after every record of another unit
(that no write concerning the 所 could reach) has been deleted."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse

from enterprises.choices import UnitKind
from enterprises.models import User
from regsys import page_parts

PAGES = [("home", {}), ("inspections:todo", {"horizon": "all"}), ("inspections:unit_list", {}),
         ("reporting:cockpit", {})]


class RolledBack(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def parts(client) -> dict[str, str]:
    pages = {}
    for name, params in PAGES:
        response = client.get(reverse(name), params)
        assert response.status_code == 200
        html = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", response.content.decode())
        pages[name] = html
    return pages


def delete_what_the_unit_cannot_see(unit_id: int) -> int:
    """Delete (raw SQL, constraints deferred) every row whose units, as the ledger names them, exclude ``unit_id``."""
    doomed = []
    for model in apps.get_models():
        paths = page_parts._unit_paths(model)
        if paths is None or model._meta.proxy:
            continue
        seen_by_unit = Q()
        for path in paths:
            seen_by_unit |= Q(**{path: unit_id})
        ids = list(model._base_manager.exclude(seen_by_unit).values_list("pk", flat=True))
        if ids:
            doomed.append((model, ids))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, ids in doomed:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} "
                               f"IN ({', '.join(['%s'] * len(chunk))})", chunk)
    return sum(len(ids) for _model, ids in doomed)


@pytest.mark.django_db
@pytest.mark.parametrize("which", [0, -1])  # the first and the last 所 of the district
def test_a_stations_parts_read_only_what_its_scope_shows_it(demo, client, which):
    stations = User.objects.filter(unit__kind=UnitKind.STATION, is_active=True).order_by("unit__code", "pk")
    user = list(stations)[which]
    client.force_login(user)
    before = parts(client)

    with pytest.raises(RolledBack), transaction.atomic():
        assert delete_what_the_unit_cannot_see(user.unit_id) > 1000  # the other 所' records are gone
        after = parts(client)
        raise RolledBack

    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"{user.username}: {changed}"

    # the control: deleting the unit's own open work does show (the parts are read afresh above)
    with pytest.raises(RolledBack), transaction.atomic():
        delete_what_the_unit_cannot_see(-1)  # no unit: every record that belongs to one
        emptied = parts(client)
        raise RolledBack
    assert emptied["inspections:todo"] != before["inspections:todo"]
    assert emptied["home"] != before["home"]
