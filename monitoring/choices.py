from django.db import models
from django.utils.translation import gettext_lazy as _


class ReporterKind(models.TextChoices):
    """报告来源: who filed the report in the national system."""

    MANUFACTURE = "manufacture", _("生产企业")
    OPERATION = "operation", _("经营企业")
    USE = "use", _("使用单位")
    INDIVIDUAL = "individual", _("个人")
    OTHER = "other", _("其他")


class EventOutcome(models.TextChoices):
    """事件后果."""

    DEATH = "death", _("死亡")
    SERIOUS = "serious", _("严重伤害")
    OTHER = "other", _("其他")


class ReporterMatch(models.TextChoices):
    """How the reporting unit of a report was tied to the registry."""

    CREDIT_CODE = "credit_code", _("按统一社会信用代码匹配")
    NAME = "name", _("按名称匹配")
    ALIAS = "alias", _("按已确认的对应关系匹配")
    MANUAL = "manual", _("人工指定")
    UNMATCHED = "unmatched", _("未匹配")
    NOT_APPLICABLE = "not_applicable", _("无需匹配（个人报告等）")


class DistrictRule(models.TextChoices):
    """Which reports count toward the district's quota (a per-year setting)."""

    REPORTER_IN_DISTRICT = "reporter_in_district", _("报告单位位于本区（已匹配到本区企业或已填街道/镇）")
    ALL_IMPORTED = "all_imported", _("导入的全部报告")


# What each rule counts, in the words shown on the settings page (and wherever the rule is explained).
DISTRICT_RULE_HELP = {
    DistrictRule.REPORTER_IN_DISTRICT: _(
        "计入：报告单位已匹配到本区企业名录中的企业（按统一社会信用代码、名称或已确认的对应关系匹配），"
        "或报告填写了本区的街道/镇。不计入：报告单位不在本区且未填写本区街道/镇的报告；"
        "尚未匹配的报告在药械科匹配或补填街道/镇之后才计入。"
    ),
    DistrictRule.ALL_IMPORTED: _(
        "计入：导入或录入本系统的全部报告，不论报告单位位于何处。适用于国家系统导出时已按本区筛选的情形。"
    ),
}


class EvaluationTrigger(models.TextChoices):
    DEATH = "death", _("死亡事件")
    SERIOUS = "serious", _("严重伤害事件")
    CLUSTER = "cluster", _("聚集性信号")


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("待评价")
    EVALUATED = "evaluated", _("已评价，措施落实中")
    CLOSED = "closed", _("已关闭")


class Causality(models.TextChoices):
    """关联性评价 (the customary five grades)."""

    CERTAIN = "certain", _("肯定")
    PROBABLE = "probable", _("很可能")
    POSSIBLE = "possible", _("可能有关")
    UNLIKELY = "unlikely", _("可能无关")
    UNASSESSABLE = "unassessable", _("无法评价")


# ----- Sampling (监督抽检) -----


class SamplingLevel(models.TextChoices):
    NATIONAL = "national", _("国抽")
    PROVINCIAL = "provincial", _("省抽")
    CITY = "city", _("市抽")
    DISTRICT = "district", _("区抽")


class SampledLink(models.TextChoices):
    """抽样环节: where in the chain the sample was taken."""

    PRODUCTION = "production", _("生产环节")
    OPERATION = "operation", _("经营环节")
    USE = "use", _("使用环节")


class SampleStepKind(models.TextChoices):
    """The steps of one sample, in order. Durations between them are data (``SamplingStepRule``)."""

    SAMPLED = "sampled", _("抽样")
    DATA_ENTERED = "data_entered", _("数据录入")
    REPORT_RECEIVED = "report_received", _("收到检验报告")
    REPORT_DELIVERED = "report_delivered", _("检验报告书送达")
    RECEIPT_UPLOADED = "receipt_uploaded", _("送达回执上传")
    RETEST_WINDOW = "retest_window", _("复检申请期届满")
    CONCLUDED = "concluded", _("结论确认")


class SampleConclusion(models.TextChoices):
    PENDING = "pending", _("待检验")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")


class RetestStatus(models.TextChoices):
    NONE = "none", _("未申请")
    REQUESTED = "requested", _("已申请复检")
    UPHELD = "upheld", _("复检维持原结论")
    OVERTURNED = "overturned", _("复检结论为合格")


class ControlMeasure(models.TextChoices):
    """Measures taken on the related operators and use units after a failure."""

    STOP_SALE = "stop_sale", _("暂停销售")
    STOP_USE = "stop_use", _("暂停使用")
    SEAL = "seal", _("查封扣押")
    RECALL = "recall", _("督促召回")
    REMOVE_ONLINE = "remove_online", _("网络下架")
    TRACE = "trace", _("追溯核查去向")
    OTHER = "other", _("其他")


# ----- Complaints, public opinion and risk consultation (风险会商) -----


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉举报")
    OPINION = "opinion", _("舆情")


class RiskSource(models.TextChoices):
    """Where a risk came from (domain §8.7)."""

    INSPECTION = "inspection", _("监督检查")
    SAMPLING = "sampling", _("抽检")
    ADVERSE_EVENT = "adverse_event", _("不良事件")
    ONLINE = "online", _("网络监测")
    COMPLAINT = "complaint", _("投诉举报")
    OPINION = "opinion", _("舆情")
    NOTICE = "notice", _("上级通报")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("管控中")
    CLOSING = "closing", _("销号待审批")
    CLOSED = "closed", _("已销号")
