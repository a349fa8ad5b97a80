"""Deleting a finding, an attachment or a referral asks first; dismissing the question deletes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import browser_login
from inspections import services
from inspections.models import Attachment, Finding
from inspections.reference import load_reference

from .factories import FindingFactory, InspectionFactory, station_with_staff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dismissing_the_question_keeps_the_finding_and_the_attachment(live_server, browser_context):
    load_reference()
    _unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b])
    FindingFactory(inspection=inspection)
    services.attachments_add(inspection=inspection, files=[SimpleUploadedFile("p.png", PNG)], kind="photo", by=a)
    page = browser_context.new_page()
    browser_login(page, live_server, a.username)
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/edit/")
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))

    for button in page.locator("form.confirm-delete button").all():
        button.click()

    assert questions == ["确定删除这条缺陷？", "确定删除这个附件？"]
    assert (Finding.objects.count(), Attachment.objects.count()) == (1, 1)
