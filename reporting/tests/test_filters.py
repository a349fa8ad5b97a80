"""The returns filter form: Chinese empty choices, date pickers, the unit list scoped to the user."""

import datetime as dt

import pytest
from django.urls import reverse

from reporting.models import Return

from .scenario import build

CUTOFF = dt.date(2023, 9, 30)


@pytest.fixture
def s(forms, file_return):
    data = build(forms)
    data["ret_a"] = file_return(campaign=data["campaign"], template=forms["统计表一"], unit=data["unit_a"],
                                cutoff=CUTOFF, by=data["user_a"])
    return data


def test_return_filters_read_all_yes_no_and_use_date_pickers(client, s):
    client.force_login(s["section"])

    html = client.get(reverse("reporting:return_list")).content.decode()

    assert "---------" not in html
    assert "未知" not in html
    assert '<option value="true">是</option>' in html
    assert 'type="date" name="cutoff_from"' in html
    assert "截止日期（降序）" in html
    assert "btn-secondary w-100" not in html
    assert '<select name="district" class="form-select form-select-sm"' in html


def test_a_station_is_offered_only_its_own_unit(client, s):
    client.force_login(s["user_a"])

    form = client.get(reverse("reporting:return_list")).context["filter"].form

    assert [str(label) for value, label in form.fields["unit"].choices if value] == [str(s["unit_a"])]


def test_warnings_column_shows_the_count_or_none(client, s):
    Return.objects.filter(pk=s["ret_a"].pk).update(warnings=[
        {"sheet": "五马所", "row": "生产企业", "rule": "完成整改家次不应大于责令改正家次", "detail": "3 > 2"},
        {"sheet": "五马所", "row": "经营企业", "rule": "完成整改家次不应大于责令改正家次", "detail": "1 > 0"},
    ])
    client.force_login(s["user_a"])

    html = client.get(reverse("reporting:return_list")).content.decode()

    assert "2 条</a>" in html
    Return.objects.filter(pk=s["ret_a"].pk).update(warnings=[])
    html = client.get(reverse("reporting:return_list")).content.decode()
    assert "bi-check-circle\"></i> 无" in html
