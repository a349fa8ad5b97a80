from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("日常监督检查")
    FULL = "full", _("全项目检查")
    FLIGHT = "flight", _("飞行检查")
    RANDOM = "random", _("双随机抽查")
    SPECIAL = "special", _("专项检查")
    FOLLOW_UP = "follow_up", _("跟踪检查/复查")
    FOR_CAUSE = "for_cause", _("有因检查/投诉举报核查")
    LICENSING = "licensing", _("许可/变更/延续现场核查")
    POST_FILING = "post_filing", _("备案后核查")
    JOINT = "joint", _("联合检查")


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINALISED = "finalised", _("已完成")


class Conclusion(models.TextChoices):
    COMPLIANT = "compliant", _("符合要求")
    BASICALLY = "basically", _("基本符合")
    NON_COMPLIANT = "non_compliant", _("不符合")


class AnswerResult(models.TextChoices):
    YES = "yes", _("符合")
    NO = "no", _("不符合")
    NA = "na", _("不适用")
    FIXED = "fixed_on_site", _("当场整改")


class Severity(models.TextChoices):
    SERIOUS = "serious", _("严重缺陷")
    GENERAL = "general", _("一般缺陷")


class CertKind(models.TextChoices):
    ENFORCEMENT = "enforcement", _("执法证")
    INSPECTOR = "inspector", _("检查员证")


class CaseProcedure(models.TextChoices):
    SIMPLE = "simple", _("简易程序")
    ORDINARY = "ordinary", _("普通程序")


class CaseStatus(models.TextChoices):
    FILED = "filed", _("立案")
    INVESTIGATING = "investigating", _("调查")
    NOTIFIED = "notified", _("告知")
    DECIDED = "decided", _("决定")
    EXECUTING = "executing", _("执行")
    CLOSED = "closed", _("结案")


class ReferralTarget(models.TextChoices):
    POLICE = "police", _("公安机关")
    HEALTH = "health", _("卫生主管部门")
    TELECOM = "telecom", _("通信管理部门")
    CUSTOMS = "customs", _("海关")
    DISCIPLINE = "discipline", _("纪检监察机关")


class PlanKind(models.TextChoices):
    ROUTINE = "routine", _("日常监督检查计划")
    FLIGHT = "flight", _("飞行检查计划")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
