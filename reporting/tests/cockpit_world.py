"""Test indicators for the cockpit's page, API, snapshots and task (the real ones live in ``ind_*.py``).

``use_test_indicators(monkeypatch)`` makes ``all_indicators()`` return these:

* ``t_inspections``: inspections begun in the year up to ``as_of`` (one grouped query); target 8 for the
  district, 4 per 所, pro rata; the url is the real inspection list filtered to the unit and dates.
* ``t_open``: a count of problems (lower is better), district only: inspections concluded 不符合, target 0.
* ``t_missing``: an area without data: "未配置".
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory
from inspections.models import Inspection
from inspections.tests.factories import InspectionFactory
from reporting.cockpit import base
from reporting.cockpit.base import Figure, Indicator, Period, not_configured, pro_rata

YEAR = 2025
DISTRICT_TARGET = 8
UNIT_TARGET = 4


def _list_url(period: Period, unit_id: int | None, **extra) -> str:
    query = {"date_from": period.start.isoformat(), "date_to": period.as_of.isoformat(), **extra}
    if unit_id is not None:
        query["unit"] = unit_id
    return reverse("inspections:list") + "?" + urlencode(query)


def _inspections(period: Period, units: list) -> dict:
    rows = dict(Inspection.objects.filter(start_date__gte=period.start, start_date__lte=period.as_of)
                .values_list("unit_id").annotate(n=Count("pk")).order_by())
    figures = {None: Figure(actual=sum(rows.values()), target=DISTRICT_TARGET,
                            expected=pro_rata(DISTRICT_TARGET, period, integer=True), url=_list_url(period, None))}
    for unit in units:
        figures[unit.pk] = Figure(actual=rows.get(unit.pk, 0), target=UNIT_TARGET,
                                  expected=pro_rata(UNIT_TARGET, period, integer=True), url=_list_url(period, unit.pk))
    return figures


def _open(period: Period, units: list) -> dict:
    count = Inspection.objects.filter(start_date__gte=period.start, start_date__lte=period.as_of,
                                      conclusion="non_compliant").count()
    return {None: Figure(actual=count, target=0, url=_list_url(period, None, conclusion="non_compliant"))}


def _missing(period: Period, units: list) -> dict:
    figures = {None: not_configured("未导入省局系统数据")}
    figures.update({u.pk: not_configured("未导入省局系统数据") for u in units})
    return figures


INDICATORS = [
    Indicator(code="t_inspections", section="检查", name="日常检查企业数", unit_label="家", compute=_inspections),
    Indicator(code="t_open", section="检查", name="检查不符合企业数", unit_label="家", compute=_open,
              higher_is_better=False, per_unit=False),
    Indicator(code="t_missing", section="系统录入", name="省局系统录入率", unit_label="%", compute=_missing),
]


def use_test_indicators(monkeypatch, indicators=None) -> None:
    module = SimpleNamespace(INDICATORS=INDICATORS if indicators is None else indicators)
    monkeypatch.setattr(base, "INDICATOR_MODULES", ("reporting.tests.cockpit_world",))
    if indicators is not None:
        monkeypatch.setattr(base, "import_module", lambda path: module)


def inspect(unit, day: dt.date, **kwargs) -> Inspection:
    """A routine inspection by ``unit`` on ``day`` of an enterprise ``unit`` supervises."""
    enterprise = EnterpriseFactory(subdistrict=SubdistrictFactory(unit=unit), owning_unit=unit)
    return InspectionFactory(enterprise=enterprise, unit=unit, start_date=day, **kwargs)
