"""The return's computation is one statement: district total and every unit in one pass, whatever the rows,
units and records (query count), with the same numbers as separate computations.

Runs on SQLite and PostgreSQL (GROUPING SETS there, two aggregations of the same statement on SQLite).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.test.utils import CaptureQueriesContext

from campaigns.models import FormRow
from enterprises.models import Tag
from enterprises.tests.factories import EnterpriseFactory, UnitFactory
from inspections.choices import ReferralTarget
from reporting import metrics
from reporting.metrics import METRICS, Period, compute

from .factories import (
    CampaignFactory,
    CaseFactory,
    InspectionFactory,
    InterviewFactory,
    PenalisedPersonFactory,
    RectificationFactory,
    ReferralFactory,
)
from .scenario import build

D = dt.date
CUTOFF = D(2023, 9, 30)


def statements_expected() -> int:
    """The statement alone: the tag codes become ids inside it, and on PostgreSQL the transaction's work_mem
    setting goes in the same round trip (psycopg2; psycopg 3 sends it on its own)."""
    return 2 if connection.vendor == "postgresql" and is_psycopg3 else 1


def district_pass(template, campaign, unit_ids, rows=None, metrics=None):
    period = Period(campaign=campaign, cutoff=CUTOFF, unit_ids=None, case_date=template.case_count_date,
                    interview_mode=template.interview_count_mode)
    return compute(template=template, period=period, by_unit=True, with_total=True, units=tuple(unit_ids),
                   rows=rows, metrics=metrics)


def rows_and_metrics(template):
    return list(template.rows.order_by("order")), [c.metric for c in template.columns.order_by("order")]


def more_records(campaign, units, n):
    """``n`` enterprises per unit in different rows, each with a record of every kind."""
    tag_sets = [["mask"], ["oximeter"], ["epidemic"], []]
    for unit in units:
        for i in range(n):
            enterprise = EnterpriseFactory(owning_unit=unit, is_manufacturer=i % 2 == 0, is_operator=i % 2 == 1,
                                           tags=list(Tag.objects.filter(code__in=tag_sets[i % len(tag_sets)])))
            inspection = InspectionFactory(enterprise=enterprise, unit=unit, staff_count=i + 1, campaigns=[campaign])
            RectificationFactory(inspection=inspection, completed_on=D(2023, 6, 1))
            InterviewFactory(enterprise=enterprise, unit=unit, campaigns=[campaign])
            case = CaseFactory(enterprise=enterprise, unit=unit, decided_on=D(2023, 6, 1), fine_amount=12345,
                               confiscation_amount=55, listed_serious_dishonest=True, suspension_ordered=True,
                               campaigns=[campaign])
            PenalisedPersonFactory(case=case, fine_amount=300)
            ReferralFactory(enterprise=enterprise, unit=unit, target=ReferralTarget.HEALTH, campaigns=[campaign])


def test_the_district_pass_is_a_fixed_number_of_statements_whatever_the_rows_units_and_records(forms):
    s = build(forms)
    units = [s["unit_a"], s["unit_b"]]
    template = forms["统计表二"]
    rows, metrics = rows_and_metrics(template)

    with CaptureQueriesContext(connection) as small:
        district_pass(template, s["campaign"], [u.pk for u in units], rows, metrics)

    more_units = [UnitFactory() for _ in range(4)]
    more_records(s["campaign"], units + more_units, 5)
    with CaptureQueriesContext(connection) as large:
        grids = district_pass(template, s["campaign"], [u.pk for u in units + more_units], rows, metrics)
    t1_rows, t1_metrics = rows_and_metrics(forms["统计表一"])
    with CaptureQueriesContext(connection) as other_form:
        district_pass(forms["统计表一"], s["campaign"], [u.pk for u in units + more_units], t1_rows, t1_metrics)

    assert len(small) == len(large) == len(other_form) == statements_expected()
    assert set(grids) == {None, *(u.pk for u in units + more_units)}
    # the new units' records show in their own grids
    assert all(any(cell["enterprises_inspected"] for cell in grids[u.pk].values()) for u in more_units)


def test_one_pass_gives_the_numbers_of_separate_computations(forms):
    s = build(forms)
    more_records(s["campaign"], [s["unit_a"], s["unit_b"]], 4)
    units = (s["unit_a"].pk, s["unit_b"].pk)
    for template in (forms["统计表一"], forms["统计表二"]):
        rows, metrics = rows_and_metrics(template)
        settings_ = {"case_date": template.case_count_date, "interview_mode": template.interview_count_mode}
        one_pass = district_pass(template, s["campaign"], units, rows, metrics)
        total = compute(template=template, period=Period(campaign=s["campaign"], cutoff=CUTOFF, unit_ids=None,
                                                         **settings_), rows=rows, metrics=metrics)
        per_unit = compute(template=template, period=Period(campaign=s["campaign"], cutoff=CUTOFF, unit_ids=units,
                                                            **settings_), by_unit=True, rows=rows, metrics=metrics)
        own = {u: compute(template=template, period=Period(campaign=s["campaign"], cutoff=CUTOFF, unit_ids=(u,),
                                                           **settings_), rows=rows, metrics=metrics)[None]
               for u in units}

        assert one_pass == {None: total[None], **per_unit}
        assert {u: one_pass[u] for u in units} == own
        # not trivially zero: every metric has a number somewhere in the district's grid (no licence revoked)
        for metric in set(metrics) - {"licenses_revoked"}:
            assert any(cell[metric] for cell in one_pass[None].values()), metric
        money = [m for m in metrics if METRICS[m].is_money]
        assert all(isinstance(cell[m], Decimal) for cell in one_pass[None].values() for m in money)
        assert all(isinstance(cell[m], int) for cell in one_pass[None].values() for m in metrics if m not in money)


def custom_rows() -> list[FormRow]:
    """Rows exercising the mask: a tag and its descendants, an excluded tag, link only, no link at all."""
    return [
        FormRow(key="epidemic_makers", link="manufacture", tag_codes=["epidemic"]),
        FormRow(key="makers_without_masks", link="manufacture", exclude_tag_codes=["mask"]),
        FormRow(key="mask_or_oximeter_operators", link="operation", tag_codes=["mask", "oximeter"]),
        FormRow(key="everyone", link=""),
        FormRow(key="unknown_tag", link="manufacture", tag_codes=["no-such-tag"]),
    ]


def test_row_membership_follows_tags_descendants_exclusions_and_links(forms):
    campaign = CampaignFactory()
    unit = UnitFactory()

    def enterprise(codes, maker=True):
        e = EnterpriseFactory(owning_unit=unit, is_manufacturer=maker, is_operator=not maker,
                              tags=list(Tag.objects.filter(code__in=codes)))
        InspectionFactory(enterprise=e, unit=unit, campaigns=[campaign])

    enterprise(["mask"])  # epidemic (descendant) maker, not "without masks"
    enterprise(["epidemic"])  # epidemic maker, without masks
    enterprise([])  # a maker without tags: without masks
    enterprise(["oximeter"], maker=False)  # operator
    enterprise(["sterile"], maker=False)  # operator, no row tag

    grid = compute(template=forms["统计表二"], period=Period(campaign=campaign, cutoff=CUTOFF, unit_ids=None),
                   rows=custom_rows(), metrics=["enterprises_inspected"])[None]

    assert {key: cell["enterprises_inspected"] for key, cell in grid.items()} == {
        "epidemic_makers": 2, "makers_without_masks": 2, "mask_or_oximeter_operators": 1, "everyone": 5,
        "unknown_tag": 0,
    }


def test_forms_of_more_than_62_rows_take_two_masks_in_the_same_statement(forms):
    s = build(forms)
    template = forms["统计表二"]
    rows, metrics = rows_and_metrics(template)
    copies = [FormRow(key=f"{row.key}_copy", link=row.link, tag_codes=row.tag_codes,
                      exclude_tag_codes=row.exclude_tag_codes) for row in rows]
    assert len(rows + copies) > 62

    with CaptureQueriesContext(connection) as queries:
        grids = district_pass(template, s["campaign"], (s["unit_a"].pk,), rows + copies, metrics)

    assert len(queries) == statements_expected()
    for key in grids:
        for row in rows:
            assert grids[key][f"{row.key}_copy"] == grids[key][row.key]
    assert any(any(cell.values()) for cell in grids[None].values())


def test_a_template_counting_every_record_ignores_the_campaign_link(forms):
    campaign = CampaignFactory()
    other = CampaignFactory()
    unit = UnitFactory()
    maker = EnterpriseFactory(owning_unit=unit, is_manufacturer=True, tags=list(Tag.objects.filter(code="mask")))
    InspectionFactory(enterprise=maker, unit=unit, campaigns=[campaign])
    InspectionFactory(enterprise=maker, unit=unit, campaigns=[other])
    InspectionFactory(enterprise=maker, unit=unit)

    def inspected(linked):
        period = Period(campaign=campaign, cutoff=CUTOFF, unit_ids=None, linked=linked)
        grids = compute(template=forms["统计表二"], period=period, by_unit=True, with_total=True, units=(unit.pk,),
                        rows=custom_rows()[:1], metrics=["enterprises_inspected"])
        return {k: grid["epidemic_makers"]["enterprises_inspected"] for k, grid in grids.items()}

    assert inspected(True) == {None: 1, unit.pk: 1}
    assert inspected(False) == {None: 3, unit.pk: 3}


def test_per_unit_grids_must_be_of_the_periods_units(forms):
    s = build(forms)
    period = Period(campaign=s["campaign"], cutoff=CUTOFF, unit_ids=(s["unit_a"].pk,))
    with pytest.raises(ValueError):
        compute(template=forms["统计表二"], period=period, by_unit=True, units=(s["unit_b"].pk,))
    with pytest.raises(ValueError):
        compute(template=forms["统计表二"], period=Period(campaign=s["campaign"], cutoff=CUTOFF, unit_ids=None),
                by_unit=True)


def test_a_district_without_filing_units_still_has_its_total(forms):
    s = build(forms)
    template = forms["统计表二"]
    grids = district_pass(template, s["campaign"], ())
    total = compute(template=template, period=Period(
        campaign=s["campaign"], cutoff=CUTOFF, unit_ids=None, case_date=template.case_count_date,
        interview_mode=template.interview_count_mode))

    assert grids == total


def test_the_statement_is_built_once_and_still_follows_the_tag_tree(forms):
    """The same return again reuses the built statement (one statement, nothing rebuilt); the tag codes are
    resolved when it runs, so a tag added under a row's tag afterwards counts at once."""
    campaign = CampaignFactory()
    unit = UnitFactory()
    newer = Tag.objects.create(code="newer-epidemic", name="新增防疫产品", parent=Tag.objects.get(code="epidemic"))
    maker = EnterpriseFactory(owning_unit=unit, is_manufacturer=True, tags=[Tag.objects.get(code="sterile")])
    InspectionFactory(enterprise=maker, unit=unit, campaigns=[campaign])
    period = Period(campaign=campaign, cutoff=CUTOFF, unit_ids=None)

    def epidemic_makers():
        grid = compute(template=forms["统计表二"], period=period, rows=custom_rows(), metrics=["enterprises_inspected"])
        return grid[None]["epidemic_makers"]["enterprises_inspected"]

    metrics._STATEMENTS.clear()
    assert epidemic_makers() == 0
    maker.tags.add(newer)
    with CaptureQueriesContext(connection) as queries:
        assert epidemic_makers() == 1
    assert len(queries) == statements_expected()
    assert len(metrics._STATEMENTS) == 1  # built once for both computations
    newer.parent = None  # out of the tree: no longer an epidemic product
    newer.save()
    assert epidemic_makers() == 0
