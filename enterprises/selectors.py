"""Reads of the enterprise registry, always narrowed to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from enterprises.choices import ACTIVE_STATUSES
from enterprises.duties.expiry import EXPIRING_DAYS, annotate_expired_licence, expiry_list_q, expiry_settings
from enterprises.models import (
    Enterprise,
    EnterpriseStatusChange,
    ImportJob,
    Licence,
    OwnershipRule,
    Subdistrict,
    Tag,
    Unit,
    User,
)
from regsys.scoping import referable, scoped

EXPIRY_WINDOW_DAYS = EXPIRING_DAYS  # 即将到期 (the rule lives in enterprises.duties.expiry)


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """Enterprises ``user`` may see, with what a list row shows loaded up front (and the 证照已过期 flag:
    ``expired_licence``, ``expired_licence_on``)."""
    qs = Enterprise.objects.select_related("subdistrict", "owning_unit").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.select_related("parent"))
    )
    return annotate_expired_licence(scoped(qs, user))


def enterprise_get(*, user: User, pk: int) -> Enterprise:
    """One enterprise ``user`` may see (404 otherwise), with licences and status history."""
    qs = annotate_expired_licence(scoped(Enterprise.objects.all(), user)).select_related(
        "subdistrict", "owning_unit"
    ).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.select_related("parent")),
        Prefetch("licences", queryset=Licence.objects.order_by("kind", "number")),
        Prefetch(
            "status_changes",
            queryset=EnterpriseStatusChange.objects.select_related("changed_by"),
        ),
    )
    return get_object_or_404(qs, pk=pk)


def status_on(day: datetime.date) -> Coalesce:
    """An enterprise's status on ``day`` (an annotation): the ``from_status`` of its first dated status
    change after that day (earliest effective date, then the earliest recorded), else its current status."""
    later_change = (
        EnterpriseStatusChange.objects.filter(enterprise=OuterRef("pk"), effective_on__gt=day)
        .order_by("effective_on", "created_at", "pk")
        .values("from_status")[:1]
    )
    return Coalesce(Subquery(later_change), F("status"))


def owning_unit_on(day: datetime.date) -> Coalesce:
    """The id of the unit that supervised an enterprise at the end of ``day`` (an annotation).

    Read from the registry's history: the last recorded version up to the end of that day (local time);
    an enterprise entered later keeps its first known unit; with no history at all, its current unit.
    """
    end_of_day = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    versions = Enterprise.history.model.objects.filter(id=OuterRef("pk"))
    at_day = versions.filter(history_date__lt=end_of_day).order_by("-history_date", "-history_id")
    first = versions.order_by("history_date", "history_id")
    return Coalesce(
        Subquery(at_day.values("owning_unit_id")[:1]), Subquery(first.values("owning_unit_id")[:1]),
        F("owning_unit_id"), output_field=BigIntegerField(),
    )


def licence_list(*, user: User) -> QuerySet[Licence]:
    """Licences of enterprises ``user`` may see."""
    qs = Licence.objects.select_related("enterprise", "enterprise__owning_unit")
    return scoped(qs, user)


def licence_get(*, user: User, pk: int) -> Licence:
    return get_object_or_404(licence_list(user=user), pk=pk)


def licences_expiring(
    *, user: User, today: datetime.date | None = None, state: str | None = None
) -> QuerySet[Licence]:
    """The expiry list (证照到期提醒): lapsed licences of enterprises still 在营/停产, valid ones expiring within
    90 days, and 生产/第三类经营许可证 in their renewal window (``enterprises.duties.expiry``); ``state``
    (expired / expiring / renewal) narrows to one of them. Soonest expiry first."""
    today = today or timezone.localdate()
    return (
        licence_list(user=user)
        .filter(expiry_list_q(today, expiry_settings(today.year), state))
        .order_by("expires_on", "number")
    )


def unit_list() -> QuerySet[Unit]:
    """The supervising units (reference data, visible to every signed-in user)."""
    return Unit.objects.select_related("parent")


def subdistrict_list() -> QuerySet[Subdistrict]:
    return Subdistrict.objects.select_related("unit")


def ownership_rule_list() -> QuerySet[OwnershipRule]:
    """The 事权划分 rules in the order they are tried (reference data, visible to every signed-in user)."""
    return OwnershipRule.objects.select_related("unit").order_by("priority")


def user_list(*, user: User) -> QuerySet[User]:
    """Accounts ``user`` may see: the district sees everyone; a 所 its own people and those of the
    district units that join its inspections (the officers it may name, ``regsys.scoping.referable``)."""
    return referable(User.objects.select_related("unit"), user)


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.filter(is_active=True).select_related("parent")


def tag_with_descendants(tag: Tag) -> list[int]:
    """Ids of ``tag`` and every tag below it (the tree is shallow: a few queries at most)."""
    ids = [tag.pk]
    frontier = [tag.pk]
    while frontier:
        frontier = list(Tag.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]
        ids.extend(frontier)
    return ids


@dataclass
class RegistrySummary:
    """Counts for the home page card, within the user's scope."""

    total: int
    supervised: int
    manufacturers: int
    operators: int
    user_units: int
    expiring_licences: int


def registry_summary(*, user: User) -> RegistrySummary:
    counts = scoped(Enterprise.objects.all(), user).aggregate(
        total=Count("pk"),
        supervised=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        manufacturers=Count("pk", filter=Q(is_manufacturer=True)),
        operators=Count("pk", filter=Q(is_operator=True)),
        user_units=Count("pk", filter=Q(is_user_unit=True)),
    )
    return RegistrySummary(**counts, expiring_licences=licences_expiring(user=user, state="expiring").count())


# --- change history (django-simple-history) -------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One saved change: who, when, what (for enterprise or licence), field old → new."""

    when: datetime.datetime
    who: str
    action: str
    subject: str
    changes: list[FieldChange] = field(default_factory=list)


_ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


def _display(model, field_name: str, value, lookups: dict) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(field_name)
    if model_field.many_to_many:
        names = sorted(lookups["tag"].get(row.get("tag"), str(row.get("tag"))) for row in value)
        return "、".join(names) or "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if model_field.is_relation:
        return lookups.get(field_name, {}).get(value, str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if timezone.is_aware(value) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _entries_for(records: list, model, subject: str, lookups: dict) -> list[HistoryEntry]:
    entries = []
    for record in records:
        who = record.history_user.display_name if record.history_user else "系统"
        entry = HistoryEntry(
            when=record.history_date, who=who, action=_ACTIONS.get(record.history_type, ""),
            subject=subject,
        )
        previous = record.prev_record
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                entry.changes.append(FieldChange(
                    label=str(model._meta.get_field(change.field).verbose_name),
                    old=_display(model, change.field, change.old, lookups),
                    new=_display(model, change.field, change.new, lookups),
                ))
            if not entry.changes:
                continue
        entries.append(entry)
    return entries


def enterprise_change_history(*, enterprise: Enterprise) -> list[HistoryEntry]:
    """Who changed what and when on ``enterprise`` and its licences, newest first."""
    lookups = {
        "owning_unit": dict(Unit.objects.values_list("pk", "name")),
        "subdistrict": dict(Subdistrict.objects.values_list("pk", "name")),
        "tag": {t.pk: str(t) for t in Tag.objects.select_related("parent")},
    }
    records = list(enterprise.history.select_related("history_user").order_by("history_date"))
    entries = _entries_for(records, Enterprise, "企业信息", lookups)
    licence_history = Licence.history.filter(enterprise_id=enterprise.pk).select_related("history_user")
    by_licence: dict[int, list] = {}
    for record in licence_history.order_by("history_date"):
        by_licence.setdefault(record.id, []).append(record)
    for records in by_licence.values():
        subject = f"{dict(Licence._meta.get_field('kind').flatchoices).get(records[-1].kind)} {records[-1].number}"
        entries.extend(_entries_for(records, Licence, subject, lookups))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def import_jobs_of(user) -> QuerySet[ImportJob]:
    """A user's own import jobs (their uploads and row errors are nobody else's business)."""
    return scoped(ImportJob.objects.filter(created_by=user), user)
