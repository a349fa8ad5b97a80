"""A past period's return rebuilt later gives the same files, cell by cell.

The scenario of test_scenario.py (cut-off 2023-09-30) plus a case filed in the window and still
undecided at the cut-off. After the first build the world changes after the cut-off: that case is
decided (fine, confiscation, 停产停业, 重失单, a person fined), E1 moves from 五马所 to 大南所 and E4 the
other way, and two referrals are made (one on K1). The rebuilt Excel and Word files are the same.
"""

import datetime as dt

import pytest
from docx import Document
from openpyxl import load_workbook

from enterprises.models import Enterprise
from inspections.choices import ReferralTarget

from .factories import CaseFactory, PenalisedPersonFactory, ReferralFactory
from .scenario import build

D = dt.date
CUTOFF = D(2023, 9, 30)
REGISTERED = dt.datetime(2023, 1, 5, tzinfo=dt.UTC)  # when the registry recorded the scenario's enterprises


def xlsx_cells(path) -> dict:
    workbook = load_workbook(path)
    return {ws.title: [[cell.value for cell in row] for row in ws.iter_rows()] for ws in workbook.worksheets}


def docx_text(path) -> dict:
    document = Document(path)
    return {
        "paragraphs": [p.text for p in document.paragraphs],
        "tables": [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables],
    }


def contents(ret) -> dict:
    job = ret.jobs.get()
    return {"xlsx": xlsx_cells(job.xlsx.path), "docx": docx_text(job.docx.path), "data": ret.data,
            "warnings": ret.warnings}


def change_the_world_after_the_cut_off(s, pending_case):
    pending_case.decided_on = D(2023, 10, 20)
    pending_case.fine_amount, pending_case.confiscation_amount = 80000, 20000
    pending_case.suspension_ordered = pending_case.listed_serious_dishonest = True
    pending_case.save()
    PenalisedPersonFactory(case=pending_case, fine_amount=30000)
    e1, e4 = Enterprise.objects.get(pk=s["e1"].pk), Enterprise.objects.get(pk=s["e4"].pk)
    e1.owning_unit, e4.owning_unit = s["unit_b"], s["unit_a"]
    e1.save()
    e4.save()
    moved = dt.datetime(2023, 10, 20, 9, tzinfo=dt.UTC)  # the registry records the moves on that day
    Enterprise.history.model.objects.filter(history_date__gt=REGISTERED + dt.timedelta(days=365)).update(
        history_date=moved)
    k1 = e1.cases.get(filed_on=D(2023, 5, 15))
    ReferralFactory(enterprise=e1, unit=s["unit_a"], case=k1, target=ReferralTarget.POLICE,
                    referred_on=D(2023, 10, 12), campaigns=[s["campaign"]])
    ReferralFactory(enterprise=e4, unit=s["unit_b"], target=ReferralTarget.HEALTH, referred_on=D(2023, 10, 2),
                    campaigns=[s["campaign"]])


@pytest.mark.parametrize("code", ["统计表一", "统计表二"])
def test_a_return_rebuilt_after_the_world_changed_gives_the_same_files(forms, file_return, code):
    s = build(forms)
    Enterprise.history.model.objects.update(history_date=REGISTERED)
    pending = CaseFactory(enterprise=s["e1"], unit=s["unit_a"], filed_on=D(2023, 8, 1), campaigns=[s["campaign"]])
    template = forms[code]
    filers = [(s["unit_a"], s["user_a"]), (s["unit_b"], s["user_b"]), (None, s["section"])]
    first = {unit: contents(file_return(campaign=s["campaign"], template=template, unit=unit, cutoff=CUTOFF, by=by))
             for unit, by in filers}

    change_the_world_after_the_cut_off(s, pending)
    rebuilt = {unit: file_return(campaign=s["campaign"], template=template, unit=unit, cutoff=CUTOFF, by=by)
               for unit, by in filers}

    for unit, ret in rebuilt.items():
        assert ret.version == 2
        again = contents(ret)
        for kind in ("data", "warnings", "xlsx", "docx"):
            assert again[kind] == first[unit][kind], (unit, kind)
    # the case filed in the window counts as a case; its outcomes did not exist at the cut-off
    mask = first[None]["data"]["total"]["medical_mask_manufacturers"] if code == "统计表一" else None
    if mask is not None:
        assert (mask["enterprise_total"], mask["cases_investigated"], mask["enterprise_fines_confiscations"],
                mask["responsible_persons_punished"], mask["ordered_suspension"], mask["cases_to_police"]) == (
            2, 2, "2.50", 2, 1, 1)  # E1 + E5; K1 + the pending case; K1's 2.5 万, 2 persons, 停产; K1's referral


def test_the_changes_do_count_for_a_later_cut_off(forms, file_return):
    """The positive control: the same changes appear in the next period's return."""
    s = build(forms)
    Enterprise.history.model.objects.update(history_date=REGISTERED)
    pending = CaseFactory(enterprise=s["e1"], unit=s["unit_a"], filed_on=D(2023, 8, 1), campaigns=[s["campaign"]])
    change_the_world_after_the_cut_off(s, pending)

    later = file_return(campaign=s["campaign"], template=forms["统计表一"], unit=None, cutoff=D(2023, 12, 25),
                        by=s["section"])

    mask = later.data["total"]["medical_mask_manufacturers"]
    a, b = (later.data["units"][str(s[k].pk)]["medical_mask_manufacturers"] for k in ("unit_a", "unit_b"))
    # K1 2.5 万 + the late decision 8 + 2 = 12.5 万; 2 + 1 persons; two 停产停业; K1's two police referrals
    assert (mask["enterprise_fines_confiscations"], mask["responsible_persons_punished"],
            mask["ordered_suspension"], mask["cases_to_police"]) == ("12.50", 3, 2, 2)
    # E1 has been 大南所's since 2023-10-20; E5 (大南所) was cancelled on 2023-10-15
    assert (a["enterprise_total"], b["enterprise_total"], mask["enterprise_total"]) == (0, 1, 1)
