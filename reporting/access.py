"""Who may review returns (the 药械科 and the bureau's leaders): one rule for the services, pages and API."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from regsys.scoping import scope_for
from reporting.recipients import REVIEWER_ROLES


def require_reviewer(user) -> None:
    scope = scope_for(user)
    if not (scope.district_wide and scope.can_write and (user.is_superuser or user.role in REVIEWER_ROLES)):
        raise PermissionDenied(_("只有区局药械科或局领导可以审核报表"))
