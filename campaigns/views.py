"""Pages of the campaigns app: campaigns (CRUD, due dates) and form templates (view, copy)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import services
from campaigns.filters import CampaignFilter, template_list_qs
from campaigns.forms import CampaignForm, TemplateCopyForm
from campaigns.history import history_rows
from campaigns.models import Campaign, CampaignDueDate, FormTemplate
from enterprises.models import Tag
from regsys.exports import export_start
from regsys.scoping import scope_for
from regsys.versioning import EditConflict


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "message_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else ("due_dates_text" if field == "due_dates" else None)
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _export(request, name: str):
    """The list as filtered (without the ``export`` switch) as a download-centre job."""
    query = request.GET.copy()
    query.pop("export")
    request.GET = query
    return export_start(request, name)


@login_required
def campaign_list(request):
    queryset = Campaign.objects.prefetch_related("forms", "due_dates", "units")
    filterset = CampaignFilter(request.GET, queryset=queryset, request=request)
    campaigns = filterset.qs
    if request.GET.get("export") == "xlsx":
        return _export(request, "campaigns")
    page = Paginator(campaigns, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "campaigns/campaign_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
        "can_manage": _can_manage(request.user),
    })


def _can_manage(user) -> bool:
    scope = scope_for(user)
    return scope.district_wide and scope.can_write


@login_required
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.prefetch_related("units", "forms"), pk=pk)
    today = timezone.localdate()
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign,
        "due_dates": [(d, d.is_open_on(today), today > d.due_on) for d in campaign.due_dates.order_by("due_on")],
        "history": history_rows(campaign.history.all()),
        "can_manage": _can_manage(request.user), "can_approve": scope_for(request.user).can_approve,
        "can_write": scope_for(request.user).can_write,
    })


@login_required
def campaign_edit(request, pk: int | None = None):
    if not _can_manage(request.user):
        raise PermissionDenied(_("只有区局药械科或局领导可以设置专项整治"))
    campaign = get_object_or_404(Campaign, pk=pk) if pk else Campaign()
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        version = form.pop_version()
        try:
            saved = services.campaign_save(
                campaign=form.save(commit=False), units=form.cleaned_data["units"],
                forms=form.cleaned_data["forms"], due_dates=form.cleaned_data["due_dates"], by=request.user,
                version=version,
            )
        except EditConflict as exc:
            form.show_conflict(exc)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存专项整治"))
            return redirect("campaigns:detail", pk=saved.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_delete(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        services.campaign_delete(campaign=campaign, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("campaigns:detail", pk=pk)
    messages.success(request, _("已删除专项整治"))
    return redirect("campaigns:list")


@login_required
@require_POST
def due_date_toggle(request, pk: int):
    due = get_object_or_404(CampaignDueDate, pk=pk)
    if request.POST.get("action") == "close":
        services.campaign_due_date_close(due=due, by=request.user)
        messages.success(request, _("已关闭 %(d)s 的报送期限") % {"d": due.due_on})
    else:
        services.campaign_due_date_reopen(due=due, by=request.user)
        messages.success(request, _("已重新开放 %(d)s 的报送期限") % {"d": due.due_on})
    return redirect("campaigns:detail", pk=due.campaign_id)


@login_required
def template_list(request):
    templates = template_list_qs(request.GET)
    if request.GET.get("export") == "xlsx":
        return _export(request, "form_templates")
    page = Paginator(templates, 20).get_page(request.GET.get("page"))
    return render(request, "campaigns/template_list.html", {"page": page, "can_manage": _can_manage(request.user)})


@login_required
def template_detail(request, pk: int):
    from campaigns.help import column_help_texts

    template = get_object_or_404(FormTemplate, pk=pk)
    columns = list(template.columns.order_by("order"))
    helps = column_help_texts(columns)
    form = TemplateCopyForm(request.POST or None, initial={"year": template.year + 1})
    if request.method == "POST":
        if form.is_valid():
            try:
                copy = services.form_template_copy(template=template, year=form.cleaned_data["year"], by=request.user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已复制为 %(t)s，可点“设计”调整行、列和单元格") % {"t": copy})
                return redirect("campaigns:template_detail", pk=copy.pk)
    tag_names = dict(Tag.objects.values_list("code", "name"))
    rows = [
        (row, [tag_names.get(c, c) for c in row.tag_codes], [tag_names.get(c, c) for c in row.exclude_tag_codes])
        for row in template.rows.order_by("order").select_related("parent")
    ]
    return render(request, "campaigns/template_detail.html", {
        "template": template, "rows": rows,
        "footer_example": template.footer_for(timezone.localdate()),
        "columns": [(c, helps[c.pk]) for c in columns], "form": form,
        "can_manage": _can_manage(request.user),
        "title": template.title_for(),
    })
