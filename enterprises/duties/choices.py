from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingKind(models.TextChoices):
    """What an enterprise files with the bureau once a year."""

    SELF_REPORT = "self_report", _("年度自查报告")
    RESPONSIBILITY = "responsibility", _("质量安全责任书")


class Sector(models.TextChoices):
    """The chain link a filing covers: an enterprise that produces and sells owes one for each."""

    PRODUCTION = "production", _("生产")
    OPERATION = "operation", _("经营")
    USE = "use", _("使用")


class FilingSource(models.TextChoices):
    MANUAL = "manual", _("手工登记")
    IMPORT = "import", _("批量导入")


class ZombieStage(models.TextChoices):
    """The clean-up of one 僵尸企业 candidate, in order."""

    VERIFYING = "verifying", _("核查中")
    NOTIFIED = "notified", _("已告知/公告")
    CLEARED = "cleared", _("已注销/取消备案")
    REGULARISED = "regularised", _("已规范")
    UPGRADED = "upgraded", _("已提升")
    NOT_ZOMBIE = "not_zombie", _("经核查正常经营")


class ZombieReason(models.TextChoices):
    NO_SELF_REPORT = "no_self_report", _("未提交年度自查报告")
    UNREACHABLE = "unreachable", _("检查发现失联")
    PREMISES_MISMATCH = "premises_mismatch", _("检查发现经营场所不符")
    LONG_SUSPENDED = "long_suspended", _("停业/停产满一年")
    LICENCE_EXPIRED = "licence_expired", _("证照已过期仍在营")


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("书面告知")
    PUBLIC = "public", _("公告")


class ClearanceKind(models.TextChoices):
    CANCEL_LICENCE = "cancel_licence", _("注销许可")
    CANCEL_FILING = "cancel_filing", _("取消备案")


class ExchangeKind(models.TextChoices):
    NOTIFY = "notify", _("通报/告知")
    RECEIVED = "received", _("收到对方信息")
    JOINT_INSPECTION = "joint_inspection", _("联合检查")
    ACCEPTANCE = "acceptance", _("验收检查")


class UdiStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    DEPLOYING = "deploying", _("部署中")
    APPLIED = "applied", _("已应用")


class UdiBatch(models.TextChoices):
    """The UDI implementation batches (domain §3.5; 默认值，可修改)."""

    BATCH_1 = "1", _("第一批（部分高风险第三类）")
    BATCH_2 = "2", _("第二批（其余第三类）")
    BATCH_3 = "3", _("第三批（部分第二类）")
    NOT_IN_SCOPE = "none", _("暂未纳入")


class UdiCoding(models.TextChoices):
    NOT_CODED = "not_coded", _("未赋码")
    PARTIAL = "partial", _("部分赋码")
    CODED = "coded", _("已赋码并上传数据库")
