"""Notifications: what a service tells a user (a return sent back, an approval waiting, a deadline).

Rows are written only by ``regsys.notifications``; the centre (``/notifications/``), the navbar badge and
the daily e-mail digest read them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regsys.choice_labels import ChoiceLabels
from regsys.choices import REMINDER_DAYS, NotificationKind


class Notification(ChoiceLabels, models.Model):
    """One message to one user; ``key`` (when set) makes it unique per user, so it is never sent twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications",
    )
    kind = models.CharField(_("类别"), max_length=30, choices=NotificationKind.choices, default=NotificationKind.OTHER)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True, help_text=_("站内地址，打开通知时跳转"))
    key = models.CharField(_("去重键"), max_length=200, blank=True, help_text=_("同一接收人同一键只通知一次"))
    created_at = models.DateTimeField(_("通知时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="notification_user_key_unique"),
        ]
        indexes = [
            # the navbar badge: one count of a user's unread rows
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(fields=["user", "-created_at"], name="notification_user_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def default_digest_kinds() -> list[str]:
    return list(NotificationKind.values)


def default_reminder_days() -> list[int]:
    return list(REMINDER_DAYS)


class NotificationPreference(ChoiceLabels, models.Model):
    """A user's notification settings (one row, created on first use): the daily digest and reminder days."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    digest_enabled = models.BooleanField(_("每日邮件摘要"), default=True)
    digest_kinds = models.JSONField(_("摘要包含的类别"), default=default_digest_kinds, blank=True)
    reminder_days = models.JSONField(_("提前提醒天数"), default=default_reminder_days, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(_("%(user)s 的通知设置") % {"user": self.user})


class DigestLog(ChoiceLabels, models.Model):
    """One daily digest e-mail sent to a user; unique per (user, day), so a second run that day sends nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="digest_logs",
    )
    day = models.DateField(_("日期"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    count = models.PositiveIntegerField(_("通知条数"), default=0)
    email = models.EmailField(_("邮箱"), blank=True)

    class Meta:
        verbose_name = _("每日摘要记录")
        verbose_name_plural = _("每日摘要记录")
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digestlog_user_day_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
