"""Organisation: supervising units, their 街道/镇, and the people who log in."""

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.choices import Role, SubdistrictKind, UnitKind
from regsys.choice_labels import ChoiceLabels

DISTRICT_WIDE_UNIT_KINDS = (UnitKind.BUREAU, UnitKind.SECTION, UnitKind.ENFORCEMENT)


class Unit(ChoiceLabels, models.Model):
    """A supervising unit of the district bureau: the bureau itself, a 科, a 所 or the 执法队."""

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("单位代码"), max_length=20, unique=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("监管单位")
        verbose_name_plural = _("监管单位")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_station(self) -> bool:
        return self.kind == UnitKind.STATION

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Subdistrict(ChoiceLabels, models.Model):
    """A 街道 or 镇 of the district; each belongs to the jurisdiction of one 市场监管所."""

    name = models.CharField(_("街道/镇"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=SubdistrictKind.choices)
    code = models.CharField(_("区划代码"), max_length=20, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属监管所"), on_delete=models.PROTECT, related_name="subdistricts",
    )
    population = models.PositiveIntegerField(_("常住人口"), default=0)

    class Meta:
        verbose_name = _("街道/镇")
        verbose_name_plural = _("街道/镇")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(ChoiceLabels, AbstractUser):
    """A member of staff. Their unit and role decide what they may see and change."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.STATION_STAFF)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    enforcement_cert_no = models.CharField(_("执法证号"), max_length=40, blank=True)
    inspector_cert_no = models.CharField(_("检查员证号"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["unit__sort_order", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def cert_no(self) -> str:
        return self.enforcement_cert_no or self.inspector_cert_no


class LoginLockout(AccessAttempt):
    """The login lockout records of django-axes (wrong passwords per user name and address), as the
    administrator reads them to unlock a user: in Chinese, under the users' app."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败与锁定记录")
        verbose_name_plural = _("登录失败与锁定记录")

    def __str__(self) -> str:
        return _("%(user)s 自 %(ip)s 登录失败 %(n)s 次") % {
            "user": self.username or "—", "ip": self.ip_address or "—", "n": self.failures_since_start}
