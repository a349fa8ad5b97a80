from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("区局")
    SECTION = "section", _("科室")
    STATION = "station", _("市场监管所")
    ENFORCEMENT = "enforcement", _("执法队")


class SubdistrictKind(models.TextChoices):
    STREET = "street", _("街道")
    TOWN = "town", _("镇")


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    LEADER = "leader", _("局领导/科长")
    SECTION_STAFF = "section_staff", _("药械科工作人员")
    STATION_STAFF = "station_staff", _("监管所工作人员")
    AUDITOR = "auditor", _("只读审计")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("在营")
    PRODUCTION_STOPPED = "production_stopped", _("停产")
    BUSINESS_SUSPENDED = "business_suspended", _("停业")
    CANCELLED = "cancelled", _("注销")
    REVOKED = "revoked", _("吊销")
    ABNORMAL = "abnormal", _("异常/失联")


# Statuses in which an enterprise still counts as supervised (企业总数 etc.).
ACTIVE_STATUSES = (
    EnterpriseStatus.ACTIVE,
    EnterpriseStatus.PRODUCTION_STOPPED,
    EnterpriseStatus.BUSINESS_SUSPENDED,
    EnterpriseStatus.ABNORMAL,
)


class OperationMode(models.TextChoices):
    WHOLESALE = "wholesale", _("批发")
    RETAIL = "retail", _("零售")
    BOTH = "both", _("批零兼营")


class InstitutionType(models.TextChoices):
    HOSPITAL = "hospital", _("医院")
    CLINIC = "clinic", _("诊所")
    AESTHETIC = "aesthetic", _("医疗美容机构")
    HEALTH_CENTRE = "health_centre", _("社区卫生服务中心/卫生院")
    DENTAL = "dental", _("口腔门诊")
    OTHER = "other", _("其他非医院类机构")


class HospitalGrade(models.TextChoices):
    GRADE_3A = "3a", _("三级甲等")
    GRADE_3B = "3b", _("三级乙等")
    GRADE_3 = "3", _("三级（未分等）")
    GRADE_2A = "2a", _("二级甲等")
    GRADE_2B = "2b", _("二级乙等")
    GRADE_2 = "2", _("二级（未分等）")
    GRADE_1 = "1", _("一级")
    UNGRADED = "none", _("未定级")


# 二级以上医疗机构 (the AE-coverage quota and the grading criterion for hospitals of grade 二级 and above).
HOSPITAL_GRADES_2_PLUS = (
    HospitalGrade.GRADE_3A, HospitalGrade.GRADE_3B, HospitalGrade.GRADE_3,
    HospitalGrade.GRADE_2A, HospitalGrade.GRADE_2B, HospitalGrade.GRADE_2,
)


class DeviceClass(models.TextChoices):
    CLASS_1 = "1", _("第一类")
    CLASS_2 = "2", _("第二类")
    CLASS_3 = "3", _("第三类")


class LicenceKind(models.TextChoices):
    PRODUCTION_LICENCE = "production_licence", _("医疗器械生产许可证")
    PRODUCTION_FILING = "production_filing", _("第一类医疗器械生产备案")
    OPERATION_LICENCE = "operation_licence", _("第三类医疗器械经营许可证")
    OPERATION_FILING = "operation_filing", _("第二类医疗器械经营备案")
    ONLINE_SALES_FILING = "online_sales_filing", _("医疗器械网络销售备案")
    INTERNET_INFO = "internet_info", _("互联网药品信息服务资格证书")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("有效")
    CANCELLED = "cancelled", _("注销")
    REVOKED = "revoked", _("吊销")
    WITHDRAWN = "withdrawn", _("撤销")
    EXPIRED = "expired", _("过期")
    SUSPENDED = "suspended", _("停产/停业")


class Link(models.TextChoices):
    """The supply-chain link a report row or target selects enterprises by."""

    MANUFACTURE = "manufacture", _("生产")
    OPERATION = "operation", _("经营")
    DELIVERY = "delivery", _("配送")
    USE = "use", _("使用")
    REGISTRANT = "registrant", _("注册人")
    CONTRACT_MANUFACTURER = "contract_manufacturer", _("受托生产企业")
    ONLINE_SALES = "online_sales", _("网络销售")
    PLATFORM = "platform", _("第三方平台")


class OwnerTarget(models.TextChoices):
    FIXED_UNIT = "fixed_unit", _("指定单位")
    SUBDISTRICT_STATION = "subdistrict_station", _("所在街道/镇的监管所")


class OwnerRuleRole(models.TextChoices):
    """Which enterprise role a 事权划分 rule matches (evaluated in rule order)."""

    STOPPED_MANUFACTURER = "stopped_manufacturer", _("停产的医疗器械生产企业")
    MANUFACTURER = "manufacturer", _("医疗器械生产企业（含注册人、受托生产）")
    HOSPITAL = "hospital", _("医院类医疗机构")
    REMOTE_WAREHOUSE = "remote_warehouse", _("异地设库企业")
    OPERATOR = "operator", _("经营企业")
    NON_HOSPITAL_INSTITUTION = "non_hospital_institution", _("非医院类医疗机构")
    ONLINE_SELLER = "online_seller", _("网络销售企业")
    PLATFORM = "platform", _("网络交易服务第三方平台")
    ANY = "any", _("其他（兜底）")


# The value of ``inspections.choices.InspectionStatus.FINALISED``, for the queries of this app that read
# inspections through the app registry (this app imports nothing of ``inspections``); a test checks it.
INSPECTION_FINALISED = "finalised"
