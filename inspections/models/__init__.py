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
from .planning import AnnualTarget, ConflictOfInterest, DrawPick, InspectionPlan, PlanItem, RandomDraw

__all__ = [
    "AnnualTarget",
    "ConflictOfInterest",
    "DrawPick",
    "RandomDraw",
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
