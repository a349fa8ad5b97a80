"""A sample of the online-sales monitoring platform's lead list, for trying the lead import on the demo district.

``sample_rows`` builds the rows: new leads of the last fortnight (most about shops of registry enterprises,
some by 统一社会信用代码, some by name only, a few of shops the registry does not hold) and the three latest
leads already in the system, as the platform pushes them again. ``sample_workbook`` writes them under the
default lead profile's headers (the first header name of each column). Deterministic: the same registry,
day and seed give the same file; importing it twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import random
from io import BytesIO

from openpyxl import Workbook

from enterprises.choices import UnitKind
from enterprises.models import Enterprise
from regsys import xlsx

from .demo_leads import PLATFORMS, PROBLEMS, UNMATCHED
from .leads_reference import COLUMNS
from .models import ImportProfile, OnlineLead
from .services.leads import PUSHED_FIELDS

NEW_MATCHED = 9
AGAIN = 3  # latest leads already imported, pushed again unchanged
DEADLINE_DAYS = 15


class NoRegistry(Exception):
    """The registry holds no operating enterprise of a 所 to build leads about."""


def sample_rows(*, today: dt.date, seed: int = 20240319) -> list[dict]:
    rng = random.Random(seed)
    sellers = list(Enterprise.objects.filter(is_operator=True, owning_unit__kind=UnitKind.STATION).order_by("pk")[:300])
    if not sellers:
        raise NoRegistry
    rows: list[dict] = []
    for index, enterprise in enumerate(rng.sample(sellers, min(NEW_MATCHED, len(sellers)))):
        product, problem = PROBLEMS[index % len(PROBLEMS)]
        platform, link = PLATFORMS[index % len(PLATFORMS)]
        pushed = today - dt.timedelta(days=rng.randint(0, 13))
        rows.append({
            "code": f"XS{today:%Y%m}S{index + 1:03d}", "platform": platform,
            "shop_name": f"{enterprise.name[:6]}{'官方旗舰店' if platform == '京东' else '医疗器械专营店'}",
            "operator_name": enterprise.name, "operator_credit_code": enterprise.credit_code if index % 2 else "",
            "link": f"{link}{rng.randint(10**9, 10**10)}", "product": product, "problem": problem,
            "pushed_on": pushed, "deadline": pushed + dt.timedelta(days=DEADLINE_DAYS),
        })
    for index, (shop, operator) in enumerate(UNMATCHED[:3], start=NEW_MATCHED + 1):
        platform, link = PLATFORMS[index % len(PLATFORMS)]
        pushed = today - dt.timedelta(days=rng.randint(0, 13))
        rows.append({
            "code": f"XS{today:%Y%m}S{index:03d}", "platform": platform, "shop_name": shop, "operator_name": operator,
            "operator_credit_code": "", "link": f"{link}{rng.randint(10**9, 10**10)}", "product": "医用冷敷贴",
            "problem": "以“械字号”名义宣称美容功效", "pushed_on": pushed,
            "deadline": pushed + dt.timedelta(days=DEADLINE_DAYS),
        })
    for lead in OnlineLead.objects.order_by("-pushed_on", "-pk")[:AGAIN]:
        rows.append({name: getattr(lead, name) for name in PUSHED_FIELDS})
    return rows


def sample_workbook(rows: list[dict]) -> bytes:
    """The rows under the default lead profile's headers (``leads_reference.COLUMNS`` when none is stored)."""
    profile = ImportProfile.objects.filter(kind=ImportProfile.Kind.LEAD, is_default=True).order_by("pk").first()
    columns = profile.columns if profile is not None else COLUMNS
    fields = [name for name in PUSHED_FIELDS if columns.get(name)]
    wb = Workbook()
    sheet = wb.active
    sheet.title = "线索清单"
    sheet.append(xlsx.row(sheet, [columns[name][0] for name in fields]))
    for values in rows:
        sheet.append(xlsx.row(sheet, [values.get(name, "") for name in fields]))
    for letter, width in zip("ABCDEFGHIJ", (18, 10, 26, 30, 22, 40, 16, 36, 12, 12), strict=False):
        sheet.column_dimensions[letter].width = width
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
