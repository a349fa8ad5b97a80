"""Choices of the online-sales leads (网络销售监测线索); kept apart from ``monitoring.choices`` so the
pieces of issue 11 built side by side do not edit one file."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadMatch(models.TextChoices):
    """How a lead's shop operator was tied to a registry enterprise."""

    CREDIT_CODE = "credit_code", _("按统一社会信用代码匹配")
    NAME = "name", _("按企业名称匹配")
    MANUAL = "manual", _("人工指定")
    UNMATCHED = "unmatched", _("未匹配")


class LeadResult(models.TextChoices):
    """核查结果."""

    SUBSTANTIATED = "substantiated", _("属实")
    UNSUBSTANTIATED = "unsubstantiated", _("不属实")
    UNVERIFIABLE = "unverifiable", _("无法核实")


class LeadStatus(models.TextChoices):
    QUEUED = "queued", _("待分派")
    OPEN = "open", _("待核查处置")
    DONE = "done", _("已反馈")
