"""Django admin: every registry model has a working changelist and add page."""

import pytest
from django.urls import reverse

from enterprises.choices import Role

from .factories import EnterpriseFactory, LicenceFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = ["unit", "subdistrict", "user", "tag", "enterprise", "enterprisestatuschange", "licence",
          "ownershiprule"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_pages_open(client, district, model):
    licence = LicenceFactory(enterprise=EnterpriseFactory(subdistrict=district.sub_a))
    admin = UserFactory(username="root", unit=district.bureau, role=Role.ADMIN, is_staff=True,
                        is_superuser=True)
    client.force_login(admin)

    changelist = client.get(reverse(f"admin:enterprises_{model}_changelist"))
    add = client.get(reverse(f"admin:enterprises_{model}_add"))

    assert (changelist.status_code, add.status_code) == (200, 200)
    if model in ("enterprise", "licence"):
        obj = licence if model == "licence" else licence.enterprise
        history = client.get(reverse(f"admin:enterprises_{model}_history", args=[obj.pk]))
        assert history.status_code == 200


def test_login_lockouts_read_in_chinese_and_deleting_one_unlocks_the_user(client, district, settings):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(username="wuma", ip_address="10.0.0.8", user_agent="手机浏览器",
                                           http_accept="*/*", path_info="/accounts/login/", get_data="",
                                           post_data="", failures_since_start=settings.AXES_FAILURE_LIMIT)
    admin = UserFactory(username="root", unit=district.bureau, role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get(reverse("admin:enterprises_loginlockout_changelist")).content.decode()
    deleted = client.post(reverse("admin:enterprises_loginlockout_delete", args=[attempt.pk]), {"post": "yes"})

    assert "登录失败与锁定记录" in listing and "wuma" in listing and "10.0.0.8" in listing
    assert "失败次数" in listing and "已锁定" in listing
    assert deleted.status_code == 302
    assert AccessAttempt.objects.count() == 0


def test_permissions_are_named_in_chinese_and_history_tables_are_left_out(client, district):
    admin = UserFactory(username="root", unit=district.bureau, role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)

    form = client.get(reverse("admin:auth_group_add")).context["adminform"].form
    labels = [label for _value, label in form.fields["permissions"].choices]

    assert "企业与监管单位 | 企业 | 可增加" in labels
    assert not [label for label in labels if "Can " in label or "historical" in label.lower()]
