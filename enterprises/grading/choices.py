"""Choices of graded supervision (分级监管)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """The supervision sector a grade belongs to; each has its own level ladder."""

    PRODUCTION = "production", _("生产")
    OPERATION = "operation", _("经营")
    USE = "use", _("使用")


class Confidence(models.TextChoices):
    """How sure the default is: checked against the cited regulation (C), taken from a secondary source (S),
    or neither (R). Users read the two unchecked ones as a default the bureau has not confirmed."""

    CONFIRMED = "C", _("已核对依据原文")
    SECONDARY = "S", _("默认值，依据为二手资料，未经本局确认")
    RECOLLECTION = "R", _("默认值，未经本局确认")


class CriterionEffect(models.TextChoices):
    SET = "set", _("定为所选等级")
    RAISE = "raise", _("上调一级")
    KEY = "key", _("列入年度重点监管（本环节最高等级）")


class RuleKind(models.TextChoices):
    """What a criterion tests; the test itself lives in ``enterprises.grading.rules``."""

    DEVICE_CLASS = "device_class", _("产品最高管理类别（参数：1/2/3）")
    PRODUCT_TAGS = "product_tags", _("产品领域标签（参数：标签代码，逗号分隔，任一命中）")
    ENTRUSTS_PRODUCTION = "entrusts_production", _("注册人委托生产")
    CONTRACT_ONLY = "contract_only", _("仅受托生产（非注册人）")
    REMOTE_WAREHOUSE = "remote_warehouse", _("异地设库")
    LOGISTICS = "logistics", _("为其他企业提供贮存配送服务")
    VBP_DISTRIBUTOR = "vbp_distributor", _("集采中选产品配送单位")
    WHOLESALE_CLASS3 = "wholesale_class3", _("第三类批发（含批零兼营）")
    HOSPITAL_GRADE = "hospital_grade", _("医院等级（参数：等级代码，逗号分隔）")
    PENALTY_LAST_YEAR = "penalty_last_year", _("上年度受到行政处罚")
    UNFINISHED_RECTIFICATION = "unfinished_rectification", _("整改逾期未完成")
    BAD_CREDIT = "bad_credit", _("不良信用记录")


class GradeStatus(models.TextChoices):
    PROPOSED = "proposed", _("系统建议")
    CHANGED = "changed", _("已调整待审批")
    APPROVED = "approved", _("已批准")


class CreditKind(models.TextChoices):
    BAD_CREDIT = "bad_credit", _("不良信用记录")
    SERIOUS_DISHONEST = "serious_dishonest", _("严重违法失信名单")
    RISK_NAMED = "risk_named", _("风险会商点名")


class DueStatus(models.TextChoices):
    """Where an enterprise stands against its next inspection due date."""

    NOT_DUE = "not_due", _("未到期")
    DUE_SOON = "due_soon", _("即将到期")
    DUE = "due", _("已到期")
    OVERDUE = "overdue", _("逾期")
    SAMPLED = "sampled", _("随机抽查")


# Bootstrap colour of each due status (badges on pages, fills in exports).
DUE_STATUS_COLOURS = {
    DueStatus.NOT_DUE: "success",
    DueStatus.DUE_SOON: "info",
    DueStatus.DUE: "warning",
    DueStatus.OVERDUE: "danger",
    DueStatus.SAMPLED: "secondary",
}
