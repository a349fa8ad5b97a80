"""所属专项整治: the field of the record forms, redrawn (htmx) when the page's enterprise or date changes, and
the 关联专项整治 page of a saved inspection (locked or not), 约谈 or 移送/移交."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from campaigns.rows import campaigns_covering
from enterprises.models import Enterprise
from inspections import services
from inspections.forms import CampaignChoiceForm, CampaignLinkForm
from inspections.models import Interview, Referral
from inspections.selectors import case_qs, history_of, inspection_detail_qs, inspection_qs
from regsys.scoping import require_edit, scoped
from regsys.versioning import EditConflict

from .common import apply_errors, campaign_messages

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


def _list_url(name: str, record, day) -> str:
    """The list page narrowed to the record (约谈 and 移送/移交 have no page of their own)."""
    query = {"enterprise": record.enterprise_id, "date_from": day.isoformat(), "date_to": day.isoformat()}
    return f"{reverse(name)}?{urlencode(query)}"


def _next_url(request) -> str:
    """Where the user came from (the return's 校验提示, the detail page, a list), if it is on this site."""
    candidate = (request.POST.get("next") or request.GET.get("next")
                 or request.META.get("HTTP_REFERER", ""))
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        parsed = urlsplit(candidate)
        if parsed.path != request.path:
            return urlunsplit(("", "", parsed.path, parsed.query, ""))
    return ""


def _relink_page(request, record, *, kind: str, done_url: str):
    """The 关联专项整治 page of a saved record: tick the campaigns; the service checks and records the change."""
    require_edit(request.user, record)  # visible but another unit's (or a read-only user): 403, like the other forms
    on_date = getattr(record, services.RECORD_DATE_FIELDS[type(record)])
    form = CampaignLinkForm(request.POST or None, user=request.user, record=record)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        before = {c.pk for c in record.campaigns.all()}
        try:
            saved = services.campaigns_relink(record=record, campaigns=list(form.cleaned_data["campaigns"]),
                                              by=request.user, version=form.pop_version())
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if {c.pk for c in saved.campaigns.all()} == before:
                messages.info(request, _("所属专项整治没有变化"))
            else:
                messages.success(request, _("已保存所属专项整治，修改记录保存在历史中"))
                campaign_messages(request, saved)
            return redirect(next_url or done_url)
    linked = {c.pk for c in record.campaigns.all()}
    in_scope = [c for c in campaigns_covering(record.enterprise, on_date) if c.pk not in linked]
    return render(request, "inspections/campaign_link_form.html", {
        "form": form, "record": record, "kind": kind, "on_date": on_date,
        "date_label": services.RECORD_DATE_LABELS[type(record)], "in_scope": in_scope,
        "next_url": next_url, "back_url": next_url or done_url, "history": history_of(record, limit=20),
    })


@login_required
def inspection_campaigns(request, pk: int):
    """关联专项整治 of an inspection, a finalised (locked) one included."""
    inspection = get_object_or_404(inspection_detail_qs(request.user), pk=pk)
    return _relink_page(request, inspection, kind=_("检查"), done_url=reverse("inspections:detail", args=[pk]))


@login_required
def interview_campaigns(request, pk: int):
    interview = get_object_or_404(scoped(Interview.objects.select_related("enterprise", "unit"), request.user),
                                  pk=pk)
    return _relink_page(request, interview, kind=_("约谈"),
                        done_url=_list_url("inspections:interview_list", interview, interview.held_on))


@login_required
def referral_campaigns(request, pk: int):
    referral = get_object_or_404(scoped(Referral.objects.select_related("enterprise", "unit"), request.user), pk=pk)
    return _relink_page(request, referral, kind=_("移送/移交"),
                        done_url=_list_url("inspections:referral_list", referral, referral.referred_on))
