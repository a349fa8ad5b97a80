from .cases import Case, CasePenalisedPerson, Referral
from .checklists import Attachment, ChecklistAnswer, ChecklistItem, ChecklistTemplate
from .core import (
    Finding,
    Inspection,
    InspectionAmendment,
    InspectionOfficer,
    Interview,
    Rectification,
)
from .planning import InspectionPlan, PlanItem

__all__ = [
    "Attachment",
    "ChecklistAnswer",
    "ChecklistItem",
    "ChecklistTemplate",
    "Case",
    "CasePenalisedPerson",
    "Finding",
    "Inspection",
    "InspectionAmendment",
    "InspectionOfficer",
    "InspectionPlan",
    "Interview",
    "PlanItem",
    "Rectification",
    "Referral",
]
