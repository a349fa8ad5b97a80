"""The notification service, the centre (pages and API), the navbar badge, preferences and the digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.choices import Role
from enterprises.tests.factories import UnitFactory, UserFactory
from regsys.choices import NotificationKind
from regsys.digest import digest_send
from regsys.models import DigestLog, Notification, NotificationPreference
from regsys.notifications import notify, notify_unit, users_wanting_reminder

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 10)


@pytest.fixture
def people():
    unit, other_unit = UnitFactory(name="五马市场监管所"), UnitFactory(name="大南市场监管所")
    return {
        "me": UserFactory(unit=unit, full_name="张所员", email="zhang@example.cn"),
        "colleague": UserFactory(unit=unit, full_name="同所同事", email="tong@example.cn"),
        "other": UserFactory(unit=other_unit, full_name="李所员", email="li@example.cn"),
        "gone": UserFactory(unit=unit, full_name="已停用", is_active=False),
        "auditor": UserFactory(unit=other_unit, role=Role.AUDITOR, full_name="审计"),
        "unit": unit,
    }


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


# --- the service ----------------------------------------------------------------------------------


def test_a_key_notifies_each_user_once_and_inactive_users_never(people):
    first = notify(users=[people["me"], people["colleague"], people["gone"]], kind=NotificationKind.OTHER,
                   title="一", key="k:1")
    again = notify(users=[people["me"], people["colleague"]], kind=NotificationKind.OTHER, title="二", key="k:1")
    notify(users=[people["me"]], kind=NotificationKind.OTHER, title="三")
    notify(users=[people["me"]], kind=NotificationKind.OTHER, title="三")

    assert (len(first), len(again)) == (2, 0)
    assert _titles(people["me"]) == ["一", "三", "三"]  # no key: two events, two notices
    assert _titles(people["colleague"]) == ["一"]
    assert _titles(people["gone"]) == []


def test_the_actor_is_left_out_and_a_unit_notice_reaches_only_that_unit(people):
    notify_unit(unit_id=people["unit"].pk, kind=NotificationKind.OTHER, title="本所通知", actor=people["me"])

    assert _titles(people["colleague"]) == ["本所通知"]
    assert _titles(people["me"]) == [] and _titles(people["other"]) == []


def test_an_unknown_kind_is_refused(people):
    with pytest.raises(ValueError):
        notify(users=[people["me"]], kind="nonsense", title="x")
    assert Notification.objects.count() == 0


def test_reminder_days_follow_the_preferences(people):
    NotificationPreference.objects.create(user=people["me"], reminder_days=[7])

    assert users_wanting_reminder([people["me"], people["colleague"]], 7) == [people["me"].pk, people["colleague"].pk]
    assert users_wanting_reminder([people["me"], people["colleague"]], 3) == [people["colleague"].pk]


# --- the centre ------------------------------------------------------------------------------------


@pytest.fixture
def inbox(people):
    older = notify(users=[people["me"]], kind=NotificationKind.RETURN_APPROVED, title="旧的已读",
                   url="/reporting/returns/1/")[0]
    Notification.objects.filter(pk=older.pk).update(read_at=timezone.now())
    unread = notify(users=[people["me"]], kind=NotificationKind.RETURN_SENT_BACK, title="报表被退回：统计表一",
                    body="退回意见：请核实", url="/reporting/returns/2/")[0]
    deadline = notify(users=[people["me"]], kind=NotificationKind.DEADLINE, title="3 天后到期：整改", url="/x/")[0]
    theirs = notify(users=[people["other"]], kind=NotificationKind.OTHER, title="别人的通知", url="/y/")[0]
    return {"older": older, "unread": unread, "deadline": deadline, "theirs": theirs}


def test_the_list_shows_unread_first_and_filters_by_kind(client, people, inbox):
    client.force_login(people["me"])

    page = client.get(reverse("notifications:list"))
    kind = client.get(reverse("notifications:list"), {"kind": NotificationKind.RETURN_SENT_BACK})
    unread = client.get(reverse("notifications:list"), {"unread": "1"})

    assert [n.title for n in page.context["page"]] == ["3 天后到期：整改", "报表被退回：统计表一", "旧的已读"]
    assert [n.title for n in kind.context["page"]] == ["报表被退回：统计表一"]
    assert [n.title for n in unread.context["page"]] == ["3 天后到期：整改", "报表被退回：统计表一"]
    assert "别人的通知" not in page.content.decode()


def test_the_badge_counts_the_unread(client, people, inbox):
    client.force_login(people["me"])

    html = client.get(reverse("notifications:settings")).content.decode()

    assert 'id="notification-badge">2<' in html
    client.force_login(people["colleague"])
    assert 'id="notification-badge"' not in client.get(reverse("notifications:settings")).content.decode()


def test_opening_marks_read_and_goes_to_the_record(client, people, inbox):
    client.force_login(people["me"])

    response = client.get(reverse("notifications:open", args=[inbox["unread"].pk]))

    assert response.status_code == 302 and response["Location"] == "/reporting/returns/2/"
    inbox["unread"].refresh_from_db()
    assert inbox["unread"].read_at is not None


def test_an_outside_link_is_never_followed(client, people):
    evil = notify(users=[people["me"]], kind=NotificationKind.OTHER, title="外链", url="https://evil.example/")[0]
    client.force_login(people["me"])

    response = client.get(reverse("notifications:open", args=[evil.pk]))

    assert response["Location"] == reverse("notifications:list")


def test_mark_one_and_mark_all_read(client, people, inbox):
    client.force_login(people["me"])

    client.post(reverse("notifications:read", args=[inbox["deadline"].pk]))
    assert Notification.objects.filter(user=people["me"], read_at__isnull=True).count() == 1
    client.post(reverse("notifications:read_all"))

    assert Notification.objects.filter(user=people["me"], read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=inbox["theirs"].pk).read_at is None


def test_another_users_notification_is_a_404_on_every_page_and_nothing_changes(client, people, inbox):
    client.force_login(people["me"])
    theirs = inbox["theirs"]

    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_lists_only_my_notifications_and_marks_them(people, inbox):
    api = APIClient()
    api.force_authenticate(people["me"])

    listed = api.get("/api/notifications/").json()["results"]
    unread = api.get("/api/notifications/", {"unread": "1"}).json()["results"]
    marked = api.post(f"/api/notifications/{inbox['unread'].pk}/mark-read/")
    foreign_get = api.get(f"/api/notifications/{inbox['theirs'].pk}/")
    foreign_mark = api.post(f"/api/notifications/{inbox['theirs'].pk}/mark-read/")
    bad_kind = api.post("/api/notifications/mark-all-read/", {"kind": "nonsense"}, format="json")
    all_read = api.post("/api/notifications/mark-all-read/", {}, format="json")

    assert [n["title"] for n in listed] == ["3 天后到期：整改", "报表被退回：统计表一", "旧的已读"]
    assert len(unread) == 2
    assert marked.status_code == 200 and marked.json()["is_read"] is True
    assert (foreign_get.status_code, foreign_mark.status_code) == (404, 404)
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
    assert all_read.json() == {"marked": 1}
    assert Notification.objects.get(pk=inbox["theirs"].pk).read_at is None


def test_the_auditor_reads_its_notices_but_cannot_mark_them(client, people):
    notice = notify(users=[people["auditor"]], kind=NotificationKind.OTHER, title="审计通知")[0]
    api = APIClient()
    api.force_authenticate(people["auditor"])
    client.force_login(people["auditor"])

    assert api.get("/api/notifications/").json()["count"] == 1
    assert api.post(f"/api/notifications/{notice.pk}/mark-read/").status_code == 403
    assert client.post(reverse("notifications:read_all")).status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None


# --- preferences ------------------------------------------------------------------------------------


def test_preferences_are_created_on_first_use_and_saved(client, people):
    client.force_login(people["me"])

    assert client.get(reverse("notifications:settings")).status_code == 200
    assert NotificationPreference.objects.get(user=people["me"]).reminder_days == [7, 3, 1]
    response = client.post(reverse("notifications:settings"), {
        "digest_kinds": [NotificationKind.RETURN_SENT_BACK, NotificationKind.OVERDUE], "reminder_days": ["3", "1"],
    })

    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=people["me"])
    assert (preference.digest_enabled, preference.digest_kinds, preference.reminder_days) == (
        False, [NotificationKind.RETURN_SENT_BACK, NotificationKind.OVERDUE], [3, 1])


def test_bad_preferences_are_refused_with_a_chinese_error_and_nothing_changes(client, people):
    client.force_login(people["me"])
    client.get(reverse("notifications:settings"))

    response = client.post(reverse("notifications:settings"), {"digest_enabled": "on", "reminder_days": ["5"]})

    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert NotificationPreference.objects.get(user=people["me"]).reminder_days == [7, 3, 1]


# --- the digest ---------------------------------------------------------------------------------------


def test_one_digest_per_user_per_day_with_absolute_links(people, inbox, settings):
    settings.REGSYS_SITE_URL = "https://regsys.example.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    first = digest_send(today=TODAY)
    second = digest_send(today=TODAY)

    # me: 2 unread; other: 1 unread; colleague: nothing unread; auditor: no e-mail address
    assert (first, second) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["li@example.cn", "zhang@example.cn"]
    mine = next(m for m in mail.outbox if m.to == ["zhang@example.cn"])
    assert mine.subject == "【医疗器械监管】2026-06-10 通知摘要：2 条未读"
    assert f"https://regsys.example.cn/notifications/{inbox['unread'].pk}/open/" in mine.body
    assert "旧的已读" not in mine.body
    assert mine.alternatives and "报表被退回：统计表一" in mine.alternatives[0][0]
    assert DigestLog.objects.filter(day=TODAY).count() == 2


def test_the_next_digest_holds_only_what_came_since_and_respects_preferences(people, inbox, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    digest_send(today=TODAY)
    mail.outbox.clear()
    NotificationPreference.objects.create(user=people["other"], digest_enabled=False)
    notify(users=[people["other"]], kind=NotificationKind.OTHER, title="新的")
    notify(users=[people["me"]], kind=NotificationKind.OVERDUE, title="已逾期：整改")
    notify(users=[people["colleague"]], kind=NotificationKind.OTHER, title="同事的")
    NotificationPreference.objects.create(user=people["colleague"], digest_kinds=[NotificationKind.OVERDUE])

    sent = digest_send(today=TODAY + dt.timedelta(days=1))

    assert sent == 1
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"]]
    assert "已逾期：整改" in mail.outbox[0].body and "报表被退回" not in mail.outbox[0].body


def test_a_failed_send_leaves_no_log_so_the_next_run_tries_again(people, inbox, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert digest_send(today=TODAY) == 0
    assert DigestLog.objects.count() == 0
    monkeypatch.undo()

    assert digest_send(today=TODAY) == 2
