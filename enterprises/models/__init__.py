from .grading import CreditRecord, EnterpriseGrade, GradeLevel, GradingCriterion, GradingScheme
from .org import Subdistrict, Unit, User
from .registry import Enterprise, EnterpriseStatusChange, Licence, OwnershipRule, Tag

__all__ = [
    "CreditRecord",
    "EnterpriseGrade",
    "GradeLevel",
    "GradingCriterion",
    "GradingScheme",
    "Enterprise",
    "EnterpriseStatusChange",
    "Licence",
    "OwnershipRule",
    "Subdistrict",
    "Tag",
    "Unit",
    "User",
]
