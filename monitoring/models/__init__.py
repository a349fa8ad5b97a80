"""Monitoring models: adverse events (``ae``), sampling, online-sales leads, complaints and risk consultation."""

from .ae import (
    AdverseEventReport,
    AEImportJob,
    Evaluation,
    ImportProfile,
    LateReportCredit,
    MonitoringSettings,
    PopulationFigure,
    RegistrantRegistration,
    ReporterAlias,
    TrainingAttendance,
    TrainingCourse,
    ae_import_upload_to,
    registration_upload_to,
)
from .leads import LeadImportJob, OnlineLead, lead_import_upload_to
from .risks import Complaint, Risk, RiskFollowUp, RiskMeeting
from .sampling import Sample, SampleControl, SampleStep, SamplingStepRule, SamplingTask

__all__ = [
    "AEImportJob",
    "AdverseEventReport",
    "Complaint",
    "Evaluation",
    "ImportProfile",
    "LateReportCredit",
    "LeadImportJob",
    "MonitoringSettings",
    "OnlineLead",
    "PopulationFigure",
    "RegistrantRegistration",
    "ReporterAlias",
    "Risk",
    "RiskFollowUp",
    "RiskMeeting",
    "Sample",
    "SampleControl",
    "SampleStep",
    "SamplingStepRule",
    "SamplingTask",
    "TrainingAttendance",
    "TrainingCourse",
    "ae_import_upload_to",
    "lead_import_upload_to",
    "registration_upload_to",
]
