"""Planning pages: 双随机 draws (with verify and the public list), conflicts of interest, targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.choices import Link
from enterprises.grading.selectors import visible_units
from enterprises.grading.views import form_errors, style_form
from enterprises.grading.xlsx import workbook_bytes, xlsx_response
from enterprises.models import Enterprise, GradeLevel, Tag, User
from inspections.choices import InspectionKind
from inspections.models import AnnualTarget, RandomDraw
from inspections.planning import services
from inspections.planning.filters import ConflictFilter, DrawFilter
from inspections.planning.forms import ConflictForm, DrawForm
from inspections.planning.selectors import conflicts_for, draws_for
from regsys.exports import export_start
from regsys.scoping import scope_for, scoped

PAGE_SIZE = 50


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _draw_filter(request):
    filterset = DrawFilter(request.GET, queryset=draws_for(request.user))
    filterset.form.fields["unit"].queryset = visible_units(request.user)
    style_form(filterset.form)
    return filterset


@login_required
def draw_list(request):
    filterset = _draw_filter(request)
    form = style_form(DrawForm(request.POST or None, units=visible_units(request.user), user=request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                draw = services.draw_create(
                    unit=data["unit"], year=data["year"], name=data["name"], sector=data["sector"],
                    level_codes=data["level_codes"], tag_codes=data["tag_codes"], ratio=data["ratio"],
                    officers_per_enterprise=data["officers_per_enterprise"], seed=data["seed"], by=request.user,
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("抽取完成"))
                return redirect("planning:draw_detail", pk=draw.pk)
        status = 400
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/planning/draw_list.html", {
        "filter": filterset, "page": page, "form": form, "query": _query(request),
    }, status=status)


def _picks(draw: RandomDraw):
    return draw.picks.select_related("enterprise").prefetch_related("officers").order_by("position")


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def pool_labels(draw: RandomDraw) -> dict[str, str]:
    """The pool's levels and tags by name (the draw stores their stable codes)."""
    levels = dict(GradeLevel.objects.filter(scheme__year=draw.year, code__in=_codes(draw.level_codes))
                  .values_list("code", "name"))
    tags = dict(Tag.objects.filter(code__in=_codes(draw.tag_codes)).values_list("code", "name"))
    return {
        "levels": "、".join(str(levels.get(code, code)) for code in _codes(draw.level_codes)),
        "tags": "、".join(tags.get(code, code) for code in _codes(draw.tag_codes)),
    }


@login_required
def draw_detail(request, pk: int):
    draw = get_object_or_404(draws_for(request.user).select_related("published_by"), pk=pk)
    return render(request, "inspections/planning/draw_detail.html", {
        "draw": draw, "pool_labels": pool_labels(draw), "picks": _picks(draw), "pool_size": len(draw.pool), "officer_count": len(draw.officer_pool),
        "public_url": request.build_absolute_uri(reverse("planning:draw_public", args=[draw.pk])),
    })


@login_required
def draw_verify(request, pk: int):
    """Re-run the recorded draw from its pool, officers, conflicts and seed; show whether it matches."""
    draw = get_object_or_404(draws_for(request.user), pk=pk)
    check = services.draw_verify(draw)
    names = dict(Enterprise.objects.filter(id__in=[e for e, _o in check["rerun"]]).values_list("id", "name"))
    people = {u.id: str(u) for u in User.objects.filter(id__in=draw.officer_pool)}
    rerun = [(names.get(e, e), "、".join(people.get(o, str(o)) for o in offs)) for e, offs in check["rerun"]]
    return render(request, "inspections/planning/draw_verify.html", {"draw": draw, "check": check, "rerun": rerun})


@login_required
@require_POST
def draw_publish(request, pk: int):
    draw = get_object_or_404(draws_for(request.user), pk=pk)
    try:
        services.draw_publish(draw=draw, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已公示"))
    return redirect("planning:draw_detail", pk=draw.pk)


def draw_public(request, pk: int):
    """The published result list (双随机、一公开): open without login once published."""
    draw = get_object_or_404(RandomDraw.objects.select_related("unit"), pk=pk)
    if not draw.is_published:
        raise Http404(_("该抽取结果尚未公示"))
    return render(request, "inspections/planning/draw_public.html", {
        "draw": draw, "picks": _picks(draw), "pool_labels": pool_labels(draw),
    })


def draw_export(request, pk: int):
    """Excel of the draw result: anyone once published, otherwise users who may see the draw."""
    draw = get_object_or_404(RandomDraw.objects.select_related("unit"), pk=pk)
    if not draw.is_published:
        if not request.user.is_authenticated:
            raise PermissionDenied
        draw = get_object_or_404(draws_for(request.user), pk=pk)
    rows = [(p.position, p.enterprise.name, p.enterprise.credit_code, p.enterprise.business_address,
             "、".join(o.display_name for o in p.officers.all())) for p in _picks(draw)]
    headers = ["序号", "被抽取企业", "统一社会信用代码", "地址", "检查人员"]
    summary = [("单位", draw.unit.name), ("年度", draw.year), ("名称", draw.name), ("企业库数量", len(draw.pool)),
               ("抽取比例", f"{draw.ratio * 100:.1f}%"), ("随机种子", draw.seed),
               ("抽取时间", timezone.localtime(draw.created_at).strftime("%Y-%m-%d %H:%M"))]
    content = workbook_bytes([("抽取结果", headers, rows), ("抽取说明", ["项目", "内容"], summary)])
    return xlsx_response(content, f"双随机抽取结果-{draw.unit.display_name}-{draw.year}-{draw.pk}.xlsx")


# --- conflicts --------------------------------------------------------------------------------


def _officers(user):
    scope = scope_for(user)
    qs = User.objects.filter(is_active=True).select_related("unit").order_by("unit__sort_order", "username")
    return qs if scope.district_wide else qs.filter(unit_id=scope.unit_id)


@login_required
def conflict_list(request):
    filterset = ConflictFilter(request.GET, queryset=conflicts_for(request.user))
    style_form(filterset.form)
    form = style_form(ConflictForm(request.POST or None, user=request.user, officers=_officers(request.user),
                                   enterprises=scoped(Enterprise.objects.all(), request.user)))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.conflict_create(officer=data["officer"], enterprise=data["enterprise"],
                                         reason=data["reason"], declared_on=data["declared_on"], by=request.user)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("已登记回避关系"))
                return redirect("planning:conflict_list")
        status = 400
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/planning/conflict_list.html", {
        "filter": filterset, "page": page, "form": form, "query": _query(request),
    }, status=status)


@login_required
def conflict_export(request):
    return export_start(request, "conflicts")


@login_required
@require_POST
def conflict_deactivate(request, pk: int):
    conflict = get_object_or_404(conflicts_for(request.user), pk=pk)
    services.conflict_deactivate(conflict=conflict, by=request.user)
    messages.success(request, _("已撤销回避关系"))
    return redirect("planning:conflict_list")


# --- targets ----------------------------------------------------------------------------------


@login_required
def target_list(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    links = dict(Link.choices)
    tags = dict(Tag.objects.values_list("code", "name"))
    kinds = dict(InspectionKind.choices)
    targets = list(AnnualTarget.objects.filter(year=year))
    for target in targets:
        target.link_labels = "、".join(str(links.get(code, code)) for code in target.link_list) or "全部环节"
        target.tag_labels = "、".join(tags.get(code, code) for code in target.tag_list)
        target.kind_labels = "、".join(str(kinds.get(code, code)) for code in target.kind_list)
    return render(request, "inspections/planning/target_list.html", {"year": year, "targets": targets})


@login_required
@require_POST
def targets_create(request):
    if not scope_for(request.user).can_approve:
        raise PermissionDenied(_("此操作需要局领导或科长审批权限"))
    try:
        year = int(request.POST.get("year"))
    except (TypeError, ValueError):
        year = timezone.localdate().year
    created = services.targets_ensure(year=year)
    messages.success(request, _("已建立 %(n)s 项指标") % {"n": created})
    return redirect(f"{reverse('planning:target_list')}?year={year}")
