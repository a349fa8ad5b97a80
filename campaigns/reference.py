"""Form templates shipped as data: ``fixtures/forms/*.json`` (the 2023 统计表一 and 统计表二).

Idempotent: a template that already exists (same code, year and version) is left as the admin
edited it; only missing ones are created.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from campaigns.services import form_template_import

FORMS_DIR = Path(settings.BASE_DIR) / "fixtures" / "forms"


def load_reference() -> str:
    created = 0
    files = sorted(FORMS_DIR.glob("*.json"))
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        _template, was_created = form_template_import(data=data)
        created += was_created
    return f"{len(files)} 张报表模板（新增 {created}）"
