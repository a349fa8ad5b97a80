"""Writes of the campaigns app: campaigns, due dates and form templates."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignDueDate, FormCell, FormColumn, FormRow, FormTemplate
from regsys.scoping import require_approver, scope_for
from regsys.versioning import version_lock

TEMPLATE_FIELDS = (
    "title_template", "preamble_fields", "header_label", "label_columns", "footer_template",
    "case_count_date", "interview_count_mode", "notes", "record_scope",
)
# what a column or a cell says about its cells (campaigns.models.CellDefinition)
CELL_FIELDS = ("kind", "metric", "formula", "min_value", "max_value", "required")
COLUMN_FIELDS = ("key", "label", "unit", "decimals", "width", "help_text", *CELL_FIELDS)


def require_district_writer(user) -> None:
    """Campaigns and templates are set up by district staff (药械科, leaders, admins)."""
    scope = scope_for(user)
    if not (scope.district_wide and scope.can_write):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("只有区局药械科或局领导可以设置专项整治和报表模板"))


@transaction.atomic
def form_template_import(*, data: dict) -> tuple[FormTemplate, bool]:
    """Create a template from its JSON description unless that version exists already."""
    existing = FormTemplate.objects.filter(
        code=data["code"], year=data["year"], version=data.get("version", 1)
    ).first()
    if existing:
        return existing, False
    template = FormTemplate.objects.create(
        code=data["code"], year=data["year"], version=data.get("version", 1),
        **{f: data[f] for f in TEMPLATE_FIELDS if f in data},
    )
    by_key: dict[str, FormRow] = {}
    for order, row in enumerate(data["rows"], start=1):
        by_key[row["key"]] = FormRow.objects.create(
            template=template, order=order, key=row["key"], path=row["path"], label_cells=row["label_cells"],
            link=row.get("link", ""), tag_codes=row.get("tag_codes", []),
            exclude_tag_codes=row.get("exclude_tag_codes", []),
            parent=by_key.get(row["parent"]) if row.get("parent") else None,
        )
    columns: dict[str, FormColumn] = {}
    for order, column in enumerate(data["columns"], start=1):
        values = dict(column)
        values.setdefault("key", values.get("metric", ""))
        columns[values["key"]] = FormColumn.objects.create(template=template, order=order, **values)
    for cell in data.get("cells", []):
        FormCell.objects.create(
            template=template, row=by_key[cell["row"]], column=columns[cell["column"]], note=cell.get("note", ""),
            **{f: cell[f] for f in CELL_FIELDS if f in cell},
        )
    return template, True


@transaction.atomic
def form_template_copy(*, template: FormTemplate, year: int, by) -> FormTemplate:
    """Copy a template with its rows and columns to ``year`` (next free version of that year)."""
    require_district_writer(by)
    if year < 2000 or year > 2100:
        raise ValidationError({"year": _("年度不正确")})
    return copy_template(template=template, year=year)


def copy_template(*, template: FormTemplate, year: int) -> FormTemplate:
    """The copy itself (no permission check: for set-up code; pages go through form_template_copy)."""
    last = FormTemplate.objects.filter(code=template.code, year=year).order_by("-version").first()
    copy = FormTemplate.objects.create(
        code=template.code, year=year, version=(last.version + 1) if last else 1, copied_from=template,
        **{f: getattr(template, f) for f in TEMPLATE_FIELDS},
    )
    mapping: dict[int, FormRow] = {}
    for row in template.rows.order_by("order"):
        mapping[row.pk] = FormRow.objects.create(
            template=copy, order=row.order, key=row.key, path=row.path, label_cells=row.label_cells,
            link=row.link, tag_codes=row.tag_codes, exclude_tag_codes=row.exclude_tag_codes,
            parent=mapping.get(row.parent_id),
        )
    columns: dict[int, FormColumn] = {}
    for column in template.columns.order_by("order"):
        columns[column.pk] = FormColumn.objects.create(
            template=copy, order=column.order, **{f: getattr(column, f) for f in COLUMN_FIELDS},
        )
    for cell in template.cells.all():
        FormCell.objects.create(
            template=copy, row=mapping[cell.row_id], column=columns[cell.column_id], note=cell.note,
            **{f: getattr(cell, f) for f in CELL_FIELDS},
        )
    return copy


def campaign_check(campaign: Campaign, *, due_dates: list[dt.date]) -> None:
    """The rules of a campaign and its due dates, for the page and the API alike.

    The year lies within the campaign's dates; at least one due date, none before the start and
    none after the year following the campaign's end (a final return may be due early next year).
    """
    errors: dict[str, list[str]] = {}
    try:
        campaign.full_clean(exclude={"created_by"})
    except ValidationError as exc:
        errors.update({field: list(messages) for field, messages in exc.message_dict.items()})
    start, end, year = campaign.start_date, campaign.end_date, campaign.year
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("结束日期不能早于开始日期"))
    elif start and end and year and "year" not in errors and not start.year <= year <= end.year:
        errors.setdefault("year", []).append(_("年度须在开始日期与结束日期所在的年份之内"))
    if not due_dates:
        errors.setdefault("due_dates", []).append(_("请至少填写一个报送截止日期"))
    if start and any(d < start for d in due_dates):
        errors.setdefault("due_dates", []).append(_("报送截止日期不能早于专项开始日期"))
    last_year = max(year or 0, end.year if end else 0) + 1
    if year and "year" not in errors and any(d.year > last_year for d in due_dates):
        errors.setdefault("due_dates", []).append(
            _("报送截止日期不能晚于%(last)s年（专项结束的次年）") % {"last": last_year})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_save(
    *, campaign: Campaign, units, forms, due_dates: list[dt.date], by, version: int | None = None
) -> Campaign:
    """Create or update a campaign with its units, forms and due dates.

    ``campaign`` carries the edited values; ``version`` is the version the edit started from (a stale
    one raises ``EditConflict`` and nothing is written).
    """
    require_district_writer(by)
    if campaign.pk is not None:
        version_lock(campaign, version=version, submitted={
            name: getattr(campaign, name)
            for name in ("name", "doc_number", "year", "start_date", "end_date", "description", "is_active")})
    campaign_check(campaign, due_dates=due_dates)
    if campaign.pk is None:
        campaign.created_by = by
    campaign.save()
    campaign.units.set(units)
    campaign.forms.set(forms)
    wanted = set(due_dates)
    existing = {d.due_on: d for d in campaign.due_dates.all()}
    for day, due in existing.items():
        if day not in wanted:
            if campaign_due_has_returns(due):
                raise ValidationError({"due_dates": _("%(day)s 已有报表，不能删除") % {"day": day}})
            due.delete()
    for day in sorted(wanted - set(existing)):
        CampaignDueDate.objects.create(campaign=campaign, due_on=day, label=f"{day.month}月{day.day}日")
    return campaign


def campaign_due_has_returns(due: CampaignDueDate) -> bool:
    # A campaign knows nothing of reporting (dependency direction), so ask through the relation name.
    related = getattr(due, "returns", None)
    return bool(related is not None and related.exists())


def campaign_linked_records(campaign: Campaign) -> list[str]:
    """The kinds of records (检查, 案件 …) tagged with ``campaign``; asked through the relations, since
    a campaign knows nothing of the apps that tag it (dependency direction)."""
    return [
        str(rel.related_model._meta.verbose_name)
        for rel in campaign._meta.related_objects
        if rel.many_to_many and getattr(campaign, rel.get_accessor_name()).exists()
    ]


@transaction.atomic
def campaign_delete(*, campaign: Campaign, by) -> None:
    require_district_writer(by)
    if any(campaign_due_has_returns(d) for d in campaign.due_dates.all()):
        raise ValidationError(_("该专项已有报表，不能删除；可将其设为结束"))
    linked = campaign_linked_records(campaign)
    if linked:
        raise ValidationError(_("该专项已关联%(what)s等记录，删除会使这些记录失去专项归属，不能删除；可将其设为结束")
                              % {"what": "、".join(linked)})
    campaign.delete()


@transaction.atomic
def campaign_due_date_reopen(*, due: CampaignDueDate, by) -> CampaignDueDate:
    """The chief reopens a closed period so late returns can still be filed."""
    require_approver(by)
    due.reopened = True
    due.is_closed = False
    due.reopened_by = by
    due.reopened_at = timezone.now()
    due.save(update_fields=["reopened", "is_closed", "reopened_by", "reopened_at"])
    return due


@transaction.atomic
def campaign_due_date_close(*, due: CampaignDueDate, by) -> CampaignDueDate:
    require_approver(by)
    due.reopened = False
    due.is_closed = True
    due.save(update_fields=["reopened", "is_closed"])
    return due
