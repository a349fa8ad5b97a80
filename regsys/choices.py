from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    RETURN_SENT_BACK = "return_sent_back", _("报表退回")
    RETURN_APPROVED = "return_approved", _("报表审核通过")
    APPROVAL_WAITING = "approval_waiting", _("待我审批")
    DEADLINE = "deadline", _("期限提醒")
    OVERDUE = "overdue", _("已逾期")
    EVALUATION = "evaluation", _("不良事件待评价")
    LEAD_ASSIGNED = "lead_assigned", _("线索分派")
    OTHER = "other", _("其他")


# Days before a due date on which a reminder may be sent (a user's preference picks among them).
REMINDER_DAYS = (7, 3, 1)
