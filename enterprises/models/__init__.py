from .grading import CreditRecord, EnterpriseGrade, GradeLevel, GradingCriterion, GradingScheme
from .imports import ImportJob
from .org import LoginLockout, Subdistrict, Unit, User
from .registry import Enterprise, EnterpriseStatusChange, Licence, OwnershipRule, Tag

__all__ = [
    "LoginLockout",
    "CreditRecord",
    "EnterpriseGrade",
    "GradeLevel",
    "GradingCriterion",
    "GradingScheme",
    "Enterprise",
    "EnterpriseStatusChange",
    "ImportJob",
    "Licence",
    "OwnershipRule",
    "Subdistrict",
    "Tag",
    "Unit",
    "User",
]
