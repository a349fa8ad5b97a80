from .cases import Case, CasePenalisedPerson, Referral
from .checklists import Attachment, ChecklistAnswer, ChecklistItem, ChecklistTemplate
from .core import Finding, Inspection, InspectionOfficer, Interview, Rectification
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
    "InspectionOfficer",
    "InspectionPlan",
    "Interview",
    "PlanItem",
    "Rectification",
    "Referral",
]
