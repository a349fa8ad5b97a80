"""A 所 inspector on a 390 px phone opens the 异地设库 warehouse it supervises daily and logs a joint inspection
with the licensing bureau, with a photo; the entry shows in the log and the page fits the screen."""

import pytest

from conftest import browser_login
from enterprises.models import WarehouseExchange
from enterprises.tests.factories import WarehouseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_station_logs_a_joint_inspection_on_a_phone(live_server, phone_context, district, tmp_path):
    warehouse = WarehouseFactory(subdistrict=district.sub_a, home_name="杭州华东医药物流有限公司",
                                 remote_monitoring=True)
    photo = tmp_path / "联合检查.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page = phone_context.new_page()
    browser_login(page, live_server, "wuma")

    page.goto(f"{live_server.url}/enterprises/warehouses/")
    assert page.inner_text("#tally-total") == "1"
    assert _fits(page)
    page.click("text=杭州华东医药物流有限公司")
    page.wait_for_selector("#exchange-form")
    assert page.locator("#acceptance-form").count() == 0  # acceptance is the 药械科's
    assert "验收检查" not in page.locator("#id_kind").inner_text()
    assert _fits(page)

    page.select_option("#id_kind", "joint_inspection")
    page.fill("#id_on", "2024-06-18")
    page.fill("#id_counterpart", "杭州市市场监督管理局")
    page.fill("#id_content", "与杭州市局联合检查库房：冷链设备运行正常，远程监控数据与现场一致。")
    page.set_input_files("#id_file", str(photo))
    page.click("#exchange-save")
    page.wait_for_selector("#exchange-log >> text=与杭州市局联合检查库房")
    assert "联合检查" in page.inner_text("#exchange-log")
    assert page.locator("#exchange-log a:has-text('附件')").count() == 1
    assert _fits(page)
    [entry] = WarehouseExchange.objects.all()
    assert (entry.warehouse_id, entry.kind, entry.created_by.username) == (warehouse.pk, "joint_inspection", "wuma")
