"""The monitoring app's list exports (regsys/exports.py): each list as its page filters it, for the job's user."""

from __future__ import annotations

from inspections.exports import column_sheet
from inspections.filters import filtered
from monitoring import registry_selectors, selectors
from monitoring.filters import AEReportFilterSet
from monitoring.registry_filters import RegistrantFilterSet, TrainingFilterSet
from monitoring.views.registry import REGISTRATION_COLUMNS, _training_columns
from monitoring.views.reports import REPORT_COLUMNS
from regsys.exports import ListExport, Sheet, register


def _report_sheets(request) -> list[Sheet]:
    _f, qs = filtered(request, queryset=selectors.report_list(user=request.user), filterset_class=AEReportFilterSet)
    return [column_sheet(title="不良事件报告", columns=REPORT_COLUMNS, queryset=qs)]


def _registration_sheets(request) -> list[Sheet]:
    _f, qs = filtered(request, queryset=registry_selectors.registrant_list(user=request.user),
                      filterset_class=RegistrantFilterSet)
    return [column_sheet(title="注册人监测系统注册情况", columns=REGISTRATION_COLUMNS, queryset=qs)]


def _training_sheets(request) -> list[Sheet]:
    queryset = registry_selectors.training_list(user=request.user).prefetch_related("attendances__enterprise")
    _f, qs = filtered(request, queryset=queryset, filterset_class=TrainingFilterSet)
    return [column_sheet(title="不良事件监测业务培训", columns=_training_columns(), queryset=qs)]


register(ListExport(name="ae_reports", title="不良事件报告", sheets=_report_sheets))
register(ListExport(name="ae_registrations", title="注册人监测系统注册情况", sheets=_registration_sheets))
register(ListExport(name="ae_trainings", title="不良事件监测业务培训", sheets=_training_sheets))


# --- leads ---
def _lead_sheets(request) -> list[Sheet]:
    from monitoring.leads_filters import OnlineLeadFilterSet
    from monitoring.leads_selectors import lead_list
    from monitoring.views.leads import LEAD_COLUMNS

    _f, qs = filtered(request, queryset=lead_list(user=request.user), filterset_class=OnlineLeadFilterSet)
    return [column_sheet(title="网络销售监测线索", columns=LEAD_COLUMNS, queryset=qs)]


register(ListExport(name="online_leads", title="网络销售监测线索", sheets=_lead_sheets))
# --- end leads ---

# The other monitoring lists register their exports in modules of their own (autodiscovery finds this module only).
from monitoring import complaint_exports, risk_exports, sampling_exports  # noqa: E402, F401, I001
