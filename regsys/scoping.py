"""The one place that decides what a user may see and change.

Every model that belongs to a unit declares ``scope_unit_paths``: lookups from the model to a
``Unit`` foreign key. The first path names the *owning* unit (who may edit); any path makes the
record *visible*. For example an inspection is owned by the unit that performed it and is also
visible to the unit that supervises the enterprise.

District-wide users (区局, 科室, 执法队 members, 系统管理员, 局领导, 审计) see everything; a 监管所
user sees only records of their own unit. Auditors never write.

Views, API viewsets and exports call ``scoped()`` for reads and ``require_edit()`` before writes;
nothing filters by unit on its own. Every related id a write accepts (a form's choice, an API
payload's ``plan_item``/``enterprise``/``officers`` …) is looked up in ``referable()``: the forms
(``regsys.forms.ScopedChoicesMixin``) and serializers (``regsys.api.ScopedRelationsMixin``) apply it
to every model-choice field, so another unit's id is refused as an invalid choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F, Lookup, Model, Q, QuerySet
from django.utils.translation import gettext as _

from enterprises.choices import Role, UnitKind

DISTRICT_ROLES = {Role.ADMIN, Role.LEADER, Role.SECTION_STAFF, Role.AUDITOR}
DISTRICT_UNIT_KINDS = {UnitKind.BUREAU, UnitKind.SECTION, UnitKind.ENFORCEMENT}
READ_ONLY_ROLES = {Role.AUDITOR}
APPROVER_ROLES = {Role.ADMIN, Role.LEADER}
ADMINISTRATOR_ROLES = {Role.ADMIN}


@dataclass(frozen=True)
class Scope:
    """What one user may reach: the whole district, or one unit."""

    district_wide: bool
    unit_id: int | None
    can_write: bool
    can_approve: bool


def scope_for(user) -> Scope:
    """The scope of ``user``; an anonymous user or one without a unit sees nothing."""
    if user is None or not user.is_authenticated:
        return Scope(district_wide=False, unit_id=None, can_write=False, can_approve=False)
    unit = getattr(user, "unit", None)
    district_wide = bool(
        user.is_superuser
        or user.role in DISTRICT_ROLES
        or (unit is not None and unit.kind in DISTRICT_UNIT_KINDS)
    )
    return Scope(
        district_wide=district_wide,
        unit_id=user.unit_id,
        can_write=user.role not in READ_ONLY_ROLES,
        can_approve=bool(user.is_superuser or user.role in APPROVER_ROLES),
    )


def _paths(model: type[Model], paths: tuple[str, ...] | None) -> tuple[str, ...]:
    paths = paths or getattr(model, "scope_unit_paths", None)
    if not paths:
        raise TypeError(f"{model.__name__} declares no scope_unit_paths")
    return paths


def visibility_q(user, model: type[Model], *, paths: tuple[str, ...] | None = None) -> Q:
    """The filter for rows of ``model`` that ``user`` may see."""
    scope = scope_for(user)
    if scope.district_wide:
        return Q()
    if scope.unit_id is None:
        return Q(pk__in=[])
    q = Q()
    paths = _paths(model, paths)
    for path in paths:
        q |= _path_q(model, path, scope.unit_id, one_of_several=len(paths) > 1)
    return q


def _reads_a_page(query) -> bool:
    """``query`` reads an ordered slice (a list's page, ``first()``): PostgreSQL walks an ordered index
    and stops after the page, checking each row against the scope on the way."""
    ordered = bool(query.order_by or query.extra_order_by
                   or (query.default_ordering and query.get_meta().ordering))
    return query.is_sliced and ordered


class InSubqueryArray(Lookup):
    """``lhs IN (subquery)``; on PostgreSQL ``lhs = ANY(ARRAY(subquery))``.

    The array form lets PostgreSQL combine the scope's two paths (``unit = X OR enterprise's owning
    unit = X``) as a BitmapOr of two index scans; the join form reads the whole table on every count.
    """

    lookup_name = "in_subquery_array"

    def _sides(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return lhs, rhs, (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params


class InSubqueryArrayOrJoinedPath(InSubqueryArray):
    """``InSubqueryArray`` as the side of the scope's OR that goes through a joined table
    (``inspection__enterprise__owning_unit``); in a page (``_reads_a_page``) on PostgreSQL the plain
    ``lhs IN (subquery)``.

    A page of findings is read newest-first along the inspection's date index and each row is checked
    against the OR: the array is searched element by element (a unit's thousands of enterprises) on
    every row, while the ``IN`` under the OR is a hashed lookup built once (the finding list 26 → 3 ms,
    the rectification list 14 → 3 ms at scale 10). Counts, aggregates and exports keep the array, which
    joins the BitmapOr. The same ids either way. Not for a path of the record's own table: there a page
    may sort instead of walking an index, and the ``IN`` alone becomes a semi-join that PostgreSQL
    plans as a scan of every enterprise (the due list, 23 → 37 ms).
    """

    lookup_name = "in_subquery_array_or_joined_path"

    def as_postgresql(self, compiler, connection):
        if _reads_a_page(compiler.query):
            return self.as_sql(compiler, connection)
        return super().as_postgresql(compiler, connection)


class InSubqueryArrayOrPath(InSubqueryArray):
    """``InSubqueryArray`` as one side of the scope's OR; on PostgreSQL ``(lhs IN (subquery) AND lhs =
    ANY(ARRAY(subquery)))``.

    Counts still use the array side in the BitmapOr. But a list's first page is read newest-first from
    an index, checking each row against the OR, and the array is searched element by element: a cost
    per row that grows with the unit's enterprises. The ``IN`` in front of it is a hashed lookup that
    turns away the other units' rows at once. Both sides hold the same ids: the rows are the same.
    Only for the record's own enterprise (``enterprise__owning_unit``): alone, the ``IN`` would become a
    join, so a single path keeps the plain array; and on a joined table (``inspection__enterprise__…``)
    PostgreSQL charges the hash's build to every nested-loop probe and sorts the whole scope instead
    (the rectification list: 120 → 218 ms at scale 10): there a page reads the plain ``IN``
    (``InSubqueryArrayOrJoinedPath``).
    """

    lookup_name = "in_subquery_array_or_path"

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"({lhs} IN {rhs} AND {lhs} = ANY(ARRAY{rhs}))", (*params, *params)


def _path_q(model: type[Model], path: str, unit_id: int, *, one_of_several: bool = False) -> Q:
    """``path = unit_id``. A path to an enterprise's supervising unit (``…__enterprise__owning_unit``)
    becomes ``…__enterprise`` among the ids of the unit's enterprises: the same rows, without joining
    the enterprise table (a unit supervises a few thousand enterprises; its records are far more)."""
    parts = path.split("__")
    if len(parts) < 2 or parts[-1] != "owning_unit":
        return Q(**{path: unit_id})
    related = model
    for part in parts[:-1]:
        related = related._meta.get_field(part).related_model
    ids = related._base_manager.filter(**{parts[-1]: unit_id}).order_by().values("pk")
    if len(parts) > 2:
        lookup = InSubqueryArrayOrJoinedPath
    elif one_of_several:
        lookup = InSubqueryArrayOrPath
    else:
        lookup = InSubqueryArray
    return Q(lookup(F("__".join(parts[:-1])), ids))


def scoped(queryset: QuerySet, user, *, paths: tuple[str, ...] | None = None) -> QuerySet:
    """``queryset`` narrowed to what ``user`` may see. Use for every list, detail and export."""
    q = visibility_q(user, queryset.model, paths=paths)
    if not q:
        return queryset
    # Scope paths follow forward foreign keys only, so the filter never duplicates rows and needs
    # no DISTINCT (which would break grouped aggregates on the result).
    return queryset.filter(q)


# Reference data every user may name in a write (choices that belong to no unit).
REFERENCE_DATA_MODELS = {
    "enterprises.tag", "enterprises.subdistrict", "enterprises.gradelevel",
    "inspections.checklisttemplate", "inspections.checklistitem", "campaigns.formtemplate", "campaigns.formrow",
    "monitoring.samplingtask",  # a plan's sampling task; the sampling service refuses another unit's task
}


def referable(queryset: QuerySet, user) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may *name* in a write (a related id in a form or payload).

    District-wide users may name anything. A 监管所 user may name the records it can see (the model's
    ``scope_unit_paths``), its own unit, officers of its own unit and of the district units that join
    its inspections (执法队, 药械科, 区局), campaigns its unit takes part in (or open to all units), and
    reference data. A model with no rule here is refused (``TypeError``) so a new relation must be
    given one.
    """
    model = queryset.model
    label = model._meta.label_lower
    scope = scope_for(user)
    if scope.district_wide:
        return queryset
    if scope.unit_id is None:
        return queryset.none()
    if getattr(model, "scope_unit_paths", None):
        return scoped(queryset, user)
    if label == "enterprises.unit":
        return queryset.filter(pk=scope.unit_id)
    if label == "enterprises.user":
        return queryset.filter(Q(unit_id=scope.unit_id) | Q(unit__kind__in=DISTRICT_UNIT_KINDS))
    if label == "campaigns.campaign":
        open_or_joined = model.objects.filter(Q(units=None) | Q(units=scope.unit_id)).values("pk")
        return queryset.filter(pk__in=open_or_joined)
    if label in REFERENCE_DATA_MODELS:
        return queryset
    raise TypeError(f"regsys.scoping.referable has no rule for {model.__name__}")


def owning_unit_id(obj: Model) -> int | None:
    """The id of the unit that owns ``obj`` (the first scope path)."""
    path = _paths(type(obj), None)[0]
    target = obj
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, f"{parts[-1]}_id", None)


def can_edit(user, obj: Model) -> bool:
    scope = scope_for(user)
    if not scope.can_write:
        return False
    if scope.district_wide:
        return True
    return scope.unit_id is not None and owning_unit_id(obj) == scope.unit_id


def require_edit(user, obj: Model) -> None:
    """Refuse a change to ``obj`` by a user of another unit (or a read-only user)."""
    if not can_edit(user, obj):
        raise PermissionDenied(_("无权修改其他单位的记录"))


def require_write(user) -> None:
    if not scope_for(user).can_write:
        raise PermissionDenied(_("只读账号不能修改数据"))


def require_unit(user, unit_id: int | None) -> None:
    """Refuse assigning a record to a unit outside the user's scope."""
    scope = scope_for(user)
    if not scope.can_write:
        raise PermissionDenied(_("只读账号不能修改数据"))
    if not scope.district_wide and unit_id != scope.unit_id:
        raise PermissionDenied(_("不能为其他单位创建或修改记录"))


def is_administrator(user) -> bool:
    """A system administrator (role 系统管理员, or a superuser): may delete registry records."""
    return bool(user is not None and user.is_authenticated
                and (user.is_superuser or user.role in ADMINISTRATOR_ROLES))


def require_administrator(user, *, message: str | None = None) -> None:
    """Refuse a non-administrator; ``message`` says what only an administrator may do."""
    if not is_administrator(user):
        raise PermissionDenied(message or _("只有系统管理员可以删除企业；企业停止经营请将经营状态改为“注销”"))


def require_approver(user) -> None:
    if not scope_for(user).can_approve:
        raise PermissionDenied(_("此操作需要局领导或科长审批权限"))
