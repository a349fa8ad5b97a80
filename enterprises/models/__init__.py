from .org import Subdistrict, Unit, User
from .registry import Enterprise, EnterpriseStatusChange, Licence, OwnershipRule, Tag

__all__ = [
    "Enterprise",
    "EnterpriseStatusChange",
    "Licence",
    "OwnershipRule",
    "Subdistrict",
    "Tag",
    "Unit",
    "User",
]
