"""Choices of inspection planning (plans, draws, targets)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemSource(models.TextChoices):
    """Why an item is in a plan."""

    DUE = "due", _("分级检查频次到期")
    TARGET = "target", _("年度检查指标")
    DRAW = "draw", _("双随机抽取")
    FLIGHT = "flight", _("飞行检查安排")
    MANUAL = "manual", _("手工添加")


class TargetKind(models.TextChoices):
    COVERAGE = "coverage", _("检查覆盖率（被检查企业数 ÷ 企业数）")
    COUNT = "count", _("检查企业数（家）")
