"""Default step durations of a sample (``SamplingStepRule`` rows), loaded by migration 0007 and ``load_reference``.

Each rule says how long a step may take after the step it counts from (``monitoring.services.sampling``
names that step). Only the 复检 window is set by law (条例第七十五条: 7 working days after the report is
delivered); the others are the bureau's working defaults and are editable on the settings page.
"""

from __future__ import annotations

DEFAULT_BASIS = "默认值，可修改"

# (step, days, working days?, basis)
STEP_RULES: list[tuple[str, int, bool, str]] = [
    ("data_entered", 5, False, DEFAULT_BASIS),
    ("report_received", 30, False, DEFAULT_BASIS),
    ("report_delivered", 5, True, DEFAULT_BASIS),
    ("receipt_uploaded", 3, True, DEFAULT_BASIS),
    ("retest_window", 7, True, "《医疗器械监督管理条例》第七十五条：收到检验结论之日起7个工作日内可申请复检"),
    ("concluded", 5, True, DEFAULT_BASIS),
]


def ensure_step_rules(rule_model) -> int:
    """Create the missing default rules (edited rules are kept); returns how many were created."""
    created = 0
    for step, days, working_days, basis in STEP_RULES:
        _rule, made = rule_model.objects.get_or_create(
            step=step, defaults={"days": days, "working_days": working_days, "basis": basis})
        created += made
    return created
