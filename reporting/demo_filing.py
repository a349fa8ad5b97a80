"""How the demo files its returns: through the services, for a period whatever today's date is, dated back.

Shared by ``reporting.demo`` (the special campaigns) and ``reporting.demo_annex`` (the plan's 附件1/附件2).
"""

from __future__ import annotations

import datetime as dt

from campaigns.models import CampaignDueDate
from reporting.choices import ReturnAction
from reporting.models import Return, ReturnEvent
from reporting.services import return_build_inline, return_request


def _file(*, campaign, template, unit, cutoff, by, numbers: dict | None = None):
    """Compute a return through the services; ``numbers``: ``units_return_data`` of the period, if at hand."""
    ret = return_request(campaign=campaign, template=template, unit=unit, cutoff=cutoff, by=by)
    data = numbers.get(unit.pk) if numbers and unit is not None else None
    return_build_inline(job=ret.jobs.get(), data=data)
    ret.refresh_from_db()
    return ret


def _backdate(ret: Return, submitted: dt.datetime | None, *, computed: dt.datetime | None = None,
              reviewed: dt.datetime | None = None) -> None:
    """Date a demo filing back to when it was made: its times, its workflow records and its history agree.

    Without ``computed``/``reviewed``: computed an hour before it was submitted, reviewed the next day.
    """
    ret.refresh_from_db()
    if computed is None:
        computed = submitted - dt.timedelta(hours=1)
    if reviewed is None and submitted is not None and ret.reviewed_at is not None:
        reviewed = submitted + dt.timedelta(days=1)
    Return.objects.filter(pk=ret.pk).update(created_at=computed, computed_at=computed,
                                            submitted_at=submitted if ret.submitted_at else None,
                                            reviewed_at=reviewed if ret.reviewed_at else None)
    at = {ReturnAction.COMPUTE: computed, ReturnAction.MANUAL: computed, ReturnAction.SUBMIT: submitted}
    for event in ret.events.all():
        ReturnEvent.objects.filter(pk=event.pk).update(at=at.get(event.action, reviewed))
    records = list(ret.history.order_by("history_date", "history_id"))
    for record in records:
        # each snapshot dated by the step it records (reviewed, submitted, else computed or typed in);
        # the snapshot's own times too, so the page's 修改历史 shows no change to the day the demo was seeded
        when = (reviewed if record.reviewed_at and reviewed else submitted if record.submitted_at and submitted
                else computed)
        type(record).objects.filter(pk=record.pk).update(
            history_date=when, created_at=computed,
            computed_at=computed if record.computed_at else None,
            submitted_at=submitted if record.submitted_at else None,
            reviewed_at=reviewed if record.reviewed_at else None,
        )
    ret.jobs.update(created_at=computed, started_at=computed, finished_at=computed)


class _Opened:
    """Lets the demo file for a period whatever the real date is, and leaves the period as it was."""

    def __init__(self, due: CampaignDueDate) -> None:
        self.due = due

    def __enter__(self) -> CampaignDueDate:
        CampaignDueDate.objects.filter(pk=self.due.pk).update(reopened=True)
        self.due.refresh_from_db()
        return self.due

    def __exit__(self, *exc) -> None:
        CampaignDueDate.objects.filter(pk=self.due.pk).update(reopened=False)
        self.due.refresh_from_db()
