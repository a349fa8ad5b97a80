"""The 所属专项整治 field of the record forms, redrawn (htmx) when the page's enterprise or date changes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.dateparse import parse_date

from enterprises.models import Enterprise
from inspections import services
from inspections.forms import CampaignChoiceForm
from inspections.selectors import case_qs, inspection_qs
from regsys.scoping import scoped

# The date field of each record form that carries the field (quick entry and full form, 约谈, 移送).
DATE_FIELDS = ("start_date", "held_on", "referred_on")


def _date(text: str):
    try:
        return parse_date(text or "")
    except ValueError:  # well formed but no such day
        return None


def _visible(queryset, pk: str):
    return queryset.filter(pk=pk).first() if (pk or "").isdigit() else None


@login_required
def campaign_choices(request):
    """The field for ?enterprise=&date_field=&<date field>=&campaigns=&campaigns_default= (and ?inspection=/?case=).

    A choice the user left as drawn follows the new default; a changed one is kept as the user left it.
    """
    params = request.GET
    date_field = params.get("date_field") if params.get("date_field") in DATE_FIELDS else DATE_FIELDS[0]
    # the picked enterprise (quick entry, full form), or the record's own (约谈, 移送: record_enterprise)
    enterprise = _visible(scoped(Enterprise.objects.all(), request.user),
                          params.get("enterprise") or params.get("record_enterprise"))
    on_date = _date(params.get(date_field))
    source = (_visible(case_qs(request.user), params.get("case"))
              or _visible(inspection_qs(request.user), params.get("inspection")))
    default = []
    if enterprise is not None and on_date is not None:
        default = services.campaigns_default(enterprise=enterprise, on_date=on_date, by=request.user, source=source)
    form = CampaignChoiceForm(user=request.user)
    chosen = [int(pk) for pk in params.getlist("campaigns") if pk.isdigit()]
    form.preselect_campaigns(default)
    if form.campaigns_touched(chosen, params.get("campaigns_default") or ""):
        form.initial["campaigns"] = chosen
    return render(request, "inspections/_campaign_field.html", {
        "form": form, "date_field": date_field, "enterprise_id": params.get("record_enterprise") or "",
        "source_case": source if params.get("case") else None,
        "source_inspection": source if params.get("inspection") and not params.get("case") else None,
    })
