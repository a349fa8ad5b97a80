from .calendar import CalendarDay, CalendarDayKind
from .duties import (
    AnnualFiling,
    ContractManufacturing,
    DutyYear,
    FilingImportJob,
    HospitalUdi,
    ManufacturerUdi,
    Warehouse,
    WarehouseExchange,
    ZombieCase,
)
from .grading import CreditRecord, EnterpriseGrade, GradeLevel, GradingCriterion, GradingScheme
from .imports import ImportJob
from .org import LoginLockout, Subdistrict, Unit, User
from .registry import Enterprise, EnterpriseStatusChange, Licence, OwnershipRule, Tag
from .suspensions import ProductionSuspension, SuspensionKind

__all__ = [
    "AnnualFiling",
    "ContractManufacturing",
    "DutyYear",
    "FilingImportJob",
    "HospitalUdi",
    "ManufacturerUdi",
    "Warehouse",
    "WarehouseExchange",
    "ZombieCase",
    "CalendarDay",
    "CalendarDayKind",
    "ProductionSuspension",
    "SuspensionKind",
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
