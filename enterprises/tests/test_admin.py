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
