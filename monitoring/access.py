"""Who manages adverse-event monitoring for the whole district: the 药械科 (and leaders, administrators).

Settings, population figures and the other district-wide inputs of the AE quotas are theirs; a 监管所
and the 执法队 read them. One rule, used by every service and page of the monitoring app.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from enterprises.choices import Role, UnitKind
from regsys.scoping import scope_for

MANAGER_ROLES = {Role.ADMIN, Role.LEADER, Role.SECTION_STAFF}


def is_ae_manager(user) -> bool:
    """A 药械科 member, a leader or an administrator who may write (auditors never do)."""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    if not (scope.district_wide and scope.can_write):
        return False
    unit = getattr(user, "unit", None)
    return bool(user.is_superuser or user.role in MANAGER_ROLES
                or (unit is not None and unit.kind == UnitKind.SECTION))


def require_ae_manager(user) -> None:
    if not is_ae_manager(user):
        raise PermissionDenied(_("只有药械科或系统管理员可以修改此项"))
