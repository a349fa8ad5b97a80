"""The plan's 2024 returns: 附件1 (annual data, every record counts) and 附件2 (the 专项行动 tables), their
campaigns with the 15th due dates, and the reporting calendar of a year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Campaign, CampaignKind, CellKind, FormTemplate, RecordScope
from campaigns.plan2024 import ANNEX1_CODE, ANNEX2_CODES, ensure_plan_2024, ensure_plan_campaigns
from campaigns.rows import campaigns_covering
from enterprises.choices import Role, UnitKind
from enterprises.models import Tag
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from reporting.form_cells import assemble, template_cells, template_problems
from reporting.form_metrics import ScalarContext, compute_scalars, is_row_metric
from reporting.metrics import Period, compute
from reporting.selectors import year_calendar
from reporting.validation import unlinked_records

from .factories import InspectionFactory

DUE_2024 = [dt.date(2024, 3, 15), dt.date(2024, 6, 15), dt.date(2024, 9, 15), dt.date(2024, 11, 15)]


@pytest.fixture
def plan(all_forms):
    station_a = UnitFactory(name="五马市场监管所", short_name="五马所")
    station_b = UnitFactory(name="大南市场监管所", short_name="大南所")
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION)
    UnitFactory(name="执法队", short_name="执法队", kind=UnitKind.ENFORCEMENT)  # takes no part
    annual, action = ensure_plan_2024()
    return {
        "annual": annual, "action": action, "a": station_a, "b": station_b, "section": section,
        "user_a": UserFactory(unit=station_a, role=Role.STATION_STAFF),
        "chief": UserFactory(unit=section, role=Role.LEADER),
        "annex1": FormTemplate.objects.get(code=ANNEX1_CODE, year=2024),
        "sub_a": SubdistrictFactory(unit=station_a),
    }


def test_the_shipped_2024_forms_are_usable_and_say_what_they_count(all_forms):
    forms = all_forms
    for code in (ANNEX1_CODE, *ANNEX2_CODES):
        assert template_problems(forms[code]) == [], code
    annex1 = forms[ANNEX1_CODE]
    assert (annex1.year, annex1.record_scope, annex1.title_for()) == (2024, RecordScope.ALL, "2024年度医疗器械监督管理工作数据")
    assert [f.record_scope for f in (forms[c] for c in ANNEX2_CODES)] == [RecordScope.LINKED] * 2
    assert forms[ANNEX2_CODES[0]].title_for() == "2024年医疗器械领域质量安全专项行动工作情况统计表一"
    assert list(forms[ANNEX2_CODES[1]].rows.values_list("key", flat=True)) == \
        list(forms["统计表二"].rows.values_list("key", flat=True))

    cells = template_cells(annex1)
    assert cells.columns == ("due", "done", "rate")
    rate = cells.specs[("contact_lens_operators", "rate")]
    assert (rate.kind, rate.formula, rate.decimals) == (CellKind.FORMULA, "{.done} / {.due} * 100", 1)
    # what no record holds is typed by hand, and the activities must be filled in
    for row in ("safety_week_events", "training_sessions", "training_attendance", "responsibility_letters"):
        spec = cells.specs[(row, "done")]
        assert (spec.kind, spec.required, spec.min_value) == (CellKind.MANUAL, True, Decimal(0)), row
    # computed cells use the registry: row metrics and the cockpit's scalar indicators
    computed = {s.metric for s in cells.of_kind(CellKind.COMPUTED)}
    assert {"enterprise_total", "enterprises_inspected", "ind:ae_registration_rate:num",
            "ind:udi_hospital_coverage:den", "ind:sampling_batches"} <= computed
    assert cells.specs[("safety_week_events", "rate")].kind == CellKind.NONE


def test_ensure_plan_2024_sets_up_both_campaigns_once(plan):
    again = ensure_plan_2024()

    assert again == (plan["annual"], plan["action"])
    assert Campaign.objects.count() == 2
    annual, action = plan["annual"], plan["action"]
    assert (annual.name, annual.kind, annual.start_date, annual.end_date) == (
        "2024年度医疗器械监督管理工作数据", CampaignKind.ANNUAL, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert (action.name, action.kind) == ("2024年医疗器械领域质量安全专项行动", CampaignKind.CAMPAIGN)
    for campaign in (annual, action):
        assert [d.due_on for d in campaign.due_dates.order_by("due_on")] == DUE_2024
        assert set(campaign.units.all()) == {plan["a"], plan["b"], plan["section"]}
    assert [f.code for f in annual.forms.all()] == [ANNEX1_CODE]
    assert sorted(f.code for f in action.forms.all()) == sorted(ANNEX2_CODES)


def test_an_administrators_changes_survive_ensure_again(plan):
    plan["annual"].units.remove(plan["b"])
    plan["annual"].due_dates.filter(due_on=DUE_2024[0]).delete()

    ensure_plan_2024()

    assert set(plan["annual"].units.all()) == {plan["a"], plan["section"]}
    assert plan["annual"].due_dates.count() == 4  # a due date of the plan comes back


def test_another_years_plan_campaigns_use_copies_of_the_2024_forms(plan):
    annual, action = ensure_plan_campaigns(2026)

    form = annual.forms.get()
    assert (form.code, form.year, form.copied_from) == (ANNEX1_CODE, 2026, plan["annex1"])
    assert template_problems(form) == []
    assert [d.due_on for d in action.due_dates.order_by("due_on")] == [
        dt.date(2026, 3, 15), dt.date(2026, 6, 15), dt.date(2026, 9, 15), dt.date(2026, 11, 15)]
    assert ensure_plan_campaigns(2026) == (annual, action)
    assert FormTemplate.objects.filter(year=2026).count() == 3


def test_the_calendar_of_2024_shows_both_campaigns_with_the_15th_due_dates(plan, client, file_return):
    plan["action"].due_dates.filter(due_on=DUE_2024[0]).update(reopened=True)  # long past: reopened to file
    ret = file_return(campaign=plan["action"], template=plan["action"].forms.get(code=ANNEX2_CODES[0]),
                      unit=plan["a"], cutoff=dt.date(2024, 3, 10), by=plan["user_a"])

    found = year_calendar(2024, plan["chief"], today=dt.date(2024, 4, 1))

    assert [e["campaign"] for e in found["campaigns"]] == [plan["annual"], plan["action"]]
    assert [d["due_on"] for d in found["due_dates"]] == DUE_2024
    march = found["due_dates"][0]
    assert [(i["campaign"].name, i["block"]["template"].code) for i in march["items"]] == [
        ("2024年度医疗器械监督管理工作数据", ANNEX1_CODE),
        ("2024年医疗器械领域质量安全专项行动", ANNEX2_CODES[0]),
        ("2024年医疗器械领域质量安全专项行动", ANNEX2_CODES[1]),
    ]
    block = march["items"][1]["block"]
    assert [(c["unit"], c["state"], c["ret"]) for c in block["cells"]] == [
        (plan["a"], "draft", ret), (plan["b"], "overdue", None)]  # the 药械科 files no unit return
    assert march["missing"] == 6 and march["past"]

    client.force_login(plan["chief"])
    page = client.get(reverse("reporting:calendar"), {"year": 2024}).content.decode()
    for day in ("2024-03-15", "2024-06-15", "2024-09-15", "2024-11-15"):
        assert f'data-due="{day}"' in page
    assert "2024年度医疗器械监督管理工作数据" in page and "年度工作数据报送" in page
    assert "2024年医疗器械领域质量安全专项行动" in page and "大南所" in page


def test_a_station_sees_only_its_own_row_and_the_campaigns_it_takes_part_in(plan, client):
    other = Campaign.objects.create(name="外单位专项", year=2024, start_date=dt.date(2024, 1, 1),
                                    end_date=dt.date(2024, 12, 31))
    other.units.set([plan["b"]])
    other.forms.set([plan["annex1"]])
    other.due_dates.create(due_on=dt.date(2024, 5, 1))

    found = year_calendar(2024, plan["user_a"], today=dt.date(2024, 4, 1))

    assert [e["campaign"] for e in found["campaigns"]] == [plan["annual"], plan["action"]]
    units = {c["unit"] for e in found["campaigns"] for b in e["blocks"] for c in b["cells"]}
    assert units == {plan["a"]}
    client.force_login(plan["user_a"])
    page = client.get(reverse("reporting:calendar"), {"year": 2024}).content.decode()
    assert "五马所" in page and "大南所" not in page and "外单位专项" not in page.split("data-due-summary")[1]
    assert 'data-due="2024-05-01"' not in page


def test_the_calendar_defaults_to_this_year_and_ignores_a_bad_year(plan, client):
    client.force_login(plan["chief"])
    page = client.get(reverse("reporting:calendar"), {"year": "abc"}).content.decode()
    this_year = dt.date.today().year
    assert f"报送日历 · {this_year}年" in page
    if this_year != 2024:
        assert f"{this_year}年没有进行中的专项整治或报送任务" in page


def test_records_are_not_linked_by_default_to_an_annual_return(plan):
    lens = EnterpriseFactory(subdistrict=plan["sub_a"], tags=[Tag.objects.get(code="contact-lens")])

    # 附件1 has a row of contact-lens operators, yet only the 专项行动 (附件2, linked) takes the record
    assert plan["annual"].forms.get().rows.filter(link="operation", tag_codes=["contact-lens"]).exists()
    assert campaigns_covering(lens, dt.date(2024, 5, 1)) == [plan["action"]]


def test_no_unlinked_record_warnings_for_a_form_that_counts_every_record(plan):
    lens = EnterpriseFactory(subdistrict=plan["sub_a"], tags=[Tag.objects.get(code="contact-lens")])
    InspectionFactory(enterprise=lens, unit=plan["a"], start_date=dt.date(2024, 2, 1))
    args = {"campaign": plan["annual"], "template": plan["annex1"], "unit": plan["a"],
            "cutoff": dt.date(2024, 3, 10), "sheet": "五马所"}

    assert unlinked_records(**args) == []
    FormTemplate.objects.filter(pk=plan["annex1"].pk).update(record_scope=RecordScope.LINKED)
    plan["annex1"].refresh_from_db()
    assert [w.row for w in unlinked_records(**args)] == [lens.name]  # the same record when links matter


def test_a_2024_annex1_sheet_counts_unlinked_records_and_hand_entered_values(plan):
    lens_tag = Tag.objects.get(code="contact-lens")
    lens = EnterpriseFactory(subdistrict=plan["sub_a"], tags=[lens_tag])
    EnterpriseFactory(subdistrict=plan["sub_a"], tags=[lens_tag])  # a second one, not inspected yet
    InspectionFactory(enterprise=lens, unit=plan["a"], start_date=dt.date(2024, 2, 1))  # linked to nothing
    InspectionFactory(enterprise=lens, unit=plan["a"], start_date=dt.date(2024, 3, 20))  # after the cut-off
    template, cutoff = plan["annex1"], dt.date(2024, 3, 10)
    cells = template_cells(template)
    specs = cells.of_kind(CellKind.COMPUTED)

    period = Period(campaign=plan["annual"], cutoff=cutoff, unit_ids=(plan["a"].pk,),
                    linked=template.record_scope == RecordScope.LINKED)
    row_specs = [s for s in specs if is_row_metric(s.metric)]
    counted = {s.row for s in row_specs}  # rows selecting enterprises; the others hold scalar figures only
    rows = compute(template=template, period=period, rows=[r for r in template.rows.order_by("order") if r.key in counted],
                   metrics=sorted({s.metric for s in row_specs}))[None]
    scalars = compute_scalars({s.metric for s in specs}, ScalarContext(2024, cutoff, (plan["a"].pk,)))
    computed = {}
    for s in specs:
        value = rows[s.row][s.metric] if is_row_metric(s.metric) else scalars[s.metric][plan["a"].pk]
        computed.setdefault(s.row, {})[s.column] = value
    grid, _notes = assemble(cells, computed=computed, manual={
        "safety_week_events": {"done": "3"}, "responsibility_letters": {"due": "40", "done": "30"}})

    assert grid["contact_lens_operators"] == {"due": 2, "done": 1, "rate": Decimal("50.0")}
    assert grid["vbp_delivery"]["rate"] is None  # nothing due: no rate
    assert grid["safety_week_events"]["done"] == 3
    assert grid["responsibility_letters"] == {"due": 40, "done": 30, "rate": Decimal("75.0")}
