from django.db import models
from django.utils.translation import gettext_lazy as _

from regsys.jobs import JobStatus

__all__ = ["JobStatus", "ReturnAction", "ReturnStatus"]


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("待上报")
    SUBMITTED = "submitted", _("已上报待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核通过")


class ReturnAction(models.TextChoices):
    COMPUTE = "compute", _("计算生成")
    RECOMPUTE = "recompute", _("重新计算")
    SUBMIT = "submit", _("上报")
    APPROVE = "approve", _("审核通过")
    SEND_BACK = "send_back", _("退回")
    MANUAL = "manual", _("填写手填数据")
    OVERRIDE = "override", _("手工修正计算值")
    OVERRIDE_CONFIRM = "override_confirm", _("再次确认手工修正")
    OVERRIDE_DROP = "override_drop", _("撤销手工修正")
