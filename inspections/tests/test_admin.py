import pytest
from django.urls import reverse

from .factories import CaseFactory, FindingFactory, RectificationFactory

MODELS = ["inspection", "inspectionofficer", "inspectionamendment", "finding", "rectification", "interview", "case",
          "casepenalisedperson", "referral", "checklisttemplate", "checklistitem", "checklistanswer", "attachment"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_opens(admin_client, model):
    FindingFactory()
    RectificationFactory()
    CaseFactory()

    response = admin_client.get(reverse(f"admin:inspections_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_inspection_change_page_opens(admin_client):
    finding = FindingFactory()

    response = admin_client.get(reverse("admin:inspections_inspection_change", args=[finding.inspection_id]))

    assert response.status_code == 200
    assert finding.text in response.content.decode()
