"""The expiry list: lapsed licences still 在营, valid ones expiring within 90 days (and the renewal window,
test_licence_expiry.py); selector, page scoping and export."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.choices import LicenceStatus
from enterprises.selectors import licences_expiring

from .factories import EnterpriseFactory, LicenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expiring(district):
    today = timezone.localdate()
    mine = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a)
    theirs = EnterpriseFactory(name="藤桥大药房", subdistrict=district.sub_b)
    days = datetime.timedelta
    LicenceFactory(enterprise=mine, number="今天到期", expires_on=today)
    LicenceFactory(enterprise=mine, number="90天后到期", expires_on=today + days(90))
    LicenceFactory(enterprise=mine, number="91天后到期", expires_on=today + days(91))
    LicenceFactory(enterprise=mine, number="昨天已过期", expires_on=today - days(1))
    LicenceFactory(enterprise=mine, number="已注销", expires_on=today + days(10), status=LicenceStatus.CANCELLED)
    LicenceFactory(enterprise=mine, number="长期有效", expires_on=None)
    LicenceFactory(enterprise=theirs, number="藤桥30天", expires_on=today + days(30))
    return today


def test_list_holds_expired_and_today_through_90_days(district, expiring):
    numbers = [lic.number for lic in licences_expiring(user=district.section_user, today=expiring)]

    assert numbers == ["昨天已过期", "今天到期", "藤桥30天", "90天后到期"]


def test_page_is_scoped_and_shows_days_left(client, district, expiring):
    client.force_login(district.inspector_a)

    response = client.get(reverse("enterprises:licences_expiring"))

    rows = list(response.context["page"].object_list)
    assert [(lic.number, lic.days_left) for lic in rows] == [("昨天已过期", -1), ("今天到期", 0), ("90天后到期", 90)]
    assert "已过 1 天" in response.content.decode()
    assert "藤桥30天" not in response.content.decode()


def test_export_is_the_filtered_expiring_list(client, district, expiring, export_file):
    client.force_login(district.section_user)

    ws = export_file(client, reverse("enterprises:licences_expiring"),
                     {"unit": district.station_b.pk, "export": "xlsx"}).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3], r[9]) for r in rows] == [("藤桥30天", "藤桥大药房", 30)]


def test_a_stations_export_job_holds_only_its_own_licences(client, district, expiring, export_file):
    client.force_login(district.inspector_a)

    ws = export_file(client, reverse("enterprises:licences_expiring"), {"export": "xlsx"}).active

    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "证照类型", "证照编号", "企业名称")
    assert [(r[2], r[3], r[9]) for r in rows[1:]] == [
        ("昨天已过期", "五马大药房", -1), ("今天到期", "五马大药房", 0), ("90天后到期", "五马大药房", 90)]
    assert ws["I2"].number_format == "yyyy-mm-dd" and ws.auto_filter.ref == "A1:K4"
    assert export_file.last_job.unit == district.inspector_a.unit
