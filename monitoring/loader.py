"""Reference data of the monitoring app, loaded by ``manage.py load_reference`` (and migrations 0002, 0007)."""

from __future__ import annotations

from monitoring import reference


def default_profile_fields() -> dict:
    """The default import profile of the national system's export (``monitoring.reference``)."""
    return {
        "is_default": True, "sheet_name": "", "header_row": 1,
        "columns": {field: list(headers) for field, headers in reference.COLUMNS.items()},
        "values": {field: dict(words) for field, words in reference.VALUES.items()},
    }


def ensure_default_profile(profile_model) -> bool:
    """Create the default profile unless it exists (an administrator's edits are kept); True when created."""
    _profile, created = profile_model.objects.get_or_create(
        name=reference.DEFAULT_PROFILE_NAME, defaults=default_profile_fields()
    )
    if created:
        others = profile_model.objects.exclude(name=reference.DEFAULT_PROFILE_NAME).filter(is_default=True)
        if any(f.name == "kind" for f in profile_model._meta.fields):  # from migration 0006 on
            others = others.filter(kind="ae")
        others.update(is_default=False)
    return created


def load_reference() -> str:
    from monitoring.models import ImportProfile, SamplingStepRule
    from monitoring.sampling_reference import ensure_step_rules

    created = ensure_default_profile(ImportProfile)
    lead_created = ensure_lead_profile(ImportProfile)
    rules = ensure_step_rules(SamplingStepRule)  # also loaded by migration 0007; said only when some were missing
    return ("默认导入列对应方案：" + ("已新建" if created else "已存在，保持不变")
            + "；网络销售线索导入列对应方案：" + ("已新建" if lead_created else "已存在，保持不变")
            + (f"；抽检环节时限：新建 {rules} 项" if rules else ""))


def lead_profile_fields() -> dict:
    """The default import profile of the online-sales monitoring platform's lead list."""
    from monitoring import leads_reference

    return {
        "kind": "lead", "is_default": True, "sheet_name": "", "header_row": 1,
        "columns": {field: list(headers) for field, headers in leads_reference.COLUMNS.items()}, "values": {},
    }


def ensure_lead_profile(profile_model) -> bool:
    """Create the default lead profile unless it exists (an administrator's edits are kept); True when created."""
    from monitoring import leads_reference

    _profile, created = profile_model.objects.get_or_create(
        name=leads_reference.DEFAULT_PROFILE_NAME, defaults=lead_profile_fields()
    )
    if created:
        profile_model.objects.filter(kind="lead", is_default=True).exclude(
            name=leads_reference.DEFAULT_PROFILE_NAME).update(is_default=False)
    return created
