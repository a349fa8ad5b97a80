"""Writes of AE reports: manual entry and edit, the import's per-row preparation, reporter matching and the
药械科's resolution of unmatched reporting units.

A report's derived fields are worked out here and nowhere else: the registry enterprise of the reporting
unit (by 统一社会信用代码, else by the exact normalised name, else by a remembered ``ReporterAlias``), the local
registrant, the owning 所 (``unit``: the 所 of the 街道/镇, else the matched reporter's), and the late flag.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from enterprises.choices import EnterpriseStatus
from enterprises.models import Enterprise, User
from monitoring.access import is_ae_manager
from monitoring.choices import ReporterKind, ReporterMatch
from monitoring.models import AdverseEventReport, MonitoringSettings, ReporterAlias
from monitoring.services.evaluations import evaluations_scan, report_is_late
from monitoring.services.settings import settings_for_year
from regsys.scoping import require_edit, require_write, scope_for
from regsys.versioning import version_lock

# What a user (form, API) or the import sets; the rest is derived.
REPORT_FIELDS: tuple[str, ...] = (
    "code", "reported_on", "occurred_on", "learned_on", "reporter_kind", "reporter_name", "reporter_credit_code",
    "outcome", "product_name", "registration_number", "registrant_name", "model_spec", "batch", "description",
    "subdistrict",
)
DERIVED_FIELDS: tuple[str, ...] = ("reporter", "reporter_match", "registrant", "unit", "is_late")
TEXT_FIELDS = {"code", "reporter_name", "reporter_credit_code", "product_name", "registration_number",
               "registrant_name", "model_spec", "batch", "description"}
# Kinds whose reporter is a person, not a registry enterprise: no match needed.
NO_MATCH_KINDS = {ReporterKind.INDIVIDUAL}
MANUAL_MATCHES = {ReporterMatch.MANUAL}


def normalise_name(name: str) -> str:
    """A unit name as compared: full-width letters and brackets made half-width (NFKC), spaces removed."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def _name_variants(names: Iterable[str]) -> set[str]:
    """Spellings under which the registry may hold ``names`` (as typed, normalised, with Chinese brackets)."""
    variants: set[str] = set()
    for name in names:
        if not name:
            continue
        plain = normalise_name(name)
        variants.update({name.strip(), plain, plain.replace("(", "（").replace(")", "）")})
    return variants


def require_district(user) -> None:
    """Imports, matching and the unmatched queue are the 药械科's (``monitoring.access.is_ae_manager``)."""
    if not is_ae_manager(user):
        raise PermissionDenied(_("只有区局药械科可以导入不良事件报告和指定报告单位"))


class ReportMatcher:
    """Registry lookups for one batch of reports (one import, one saved form): few queries, no guessing.

    A name that several registry enterprises share is not matched by name (the 药械科 picks by hand).
    """

    def __init__(self, *, names: Iterable[str] = (), credit_codes: Iterable[str] = ()) -> None:
        names = {n for n in names if n}
        codes = {c.strip().upper() for c in credit_codes if c and c.strip()}
        self.by_code = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)
                        .select_related("owning_unit")} if codes else {}
        variants = _name_variants(names)
        self.by_name: dict[str, list[Enterprise]] = {}
        if variants:
            for enterprise in Enterprise.objects.filter(name__in=variants).select_related("owning_unit"):
                self.by_name.setdefault(normalise_name(enterprise.name), []).append(enterprise)
        normalised = {normalise_name(n) for n in names}
        self.aliases = {a.name: a.enterprise for a in ReporterAlias.objects.filter(name__in=normalised)
                        .select_related("enterprise__owning_unit")} if normalised else {}
        self._settings: dict[int, MonitoringSettings | None] = {}
        self._by_registration: dict[str, Enterprise | None] = {}

    @classmethod
    def for_fields(cls, *rows: dict[str, Any]) -> ReportMatcher:
        names = [r.get(k) or "" for r in rows for k in ("reporter_name", "registrant_name")]
        return cls(names=names, credit_codes=[r.get("reporter_credit_code") or "" for r in rows])

    def one_by_name(self, name: str, *, registrant: bool = False) -> Enterprise | None:
        """The one registry enterprise of that (normalised) name, preferring an active one; None when unsure."""
        return self._one_by_name(name, registrant=registrant)

    def _one_by_name(self, name: str, *, registrant: bool = False) -> Enterprise | None:
        found = self.by_name.get(normalise_name(name), [])
        if registrant:
            found = [e for e in found if e.is_registrant or e.is_manufacturer]
        if len(found) > 1:
            found = [e for e in found if e.status == EnterpriseStatus.ACTIVE]
        return found[0] if len(found) == 1 else None

    def reporter(self, *, kind: str, name: str, credit_code: str) -> tuple[Enterprise | None, str]:
        """The registry enterprise of a reporting unit and how it was found."""
        if kind in NO_MATCH_KINDS:
            return None, ReporterMatch.NOT_APPLICABLE
        code = (credit_code or "").strip().upper()
        if code and code in self.by_code:
            return self.by_code[code], ReporterMatch.CREDIT_CODE
        if name:
            enterprise = self._one_by_name(name)
            if enterprise is not None:
                return enterprise, ReporterMatch.NAME
            alias = self.aliases.get(normalise_name(name))
            if alias is not None:
                return alias, ReporterMatch.ALIAS
        return None, ReporterMatch.UNMATCHED

    def registrant(self, *, name: str, registration_number: str) -> Enterprise | None:
        """The local registrant: by name (a 注册人 or 生产企业 of the registry), a remembered name, else the
        registrant already linked on another report of the same 注册证编号 (the registry holds no product
        registrations)."""
        if name:
            enterprise = self._one_by_name(name, registrant=True) or self.aliases.get(normalise_name(name))
            if enterprise is not None:
                return enterprise
        number = (registration_number or "").strip()
        if not number:
            return None
        if number not in self._by_registration:
            linked = (AdverseEventReport.objects.filter(registration_number=number, registrant__isnull=False)
                      .select_related("registrant").order_by("-reported_on", "-pk").first())
            self._by_registration[number] = linked.registrant if linked else None
        return self._by_registration[number]

    def settings(self, year: int) -> MonitoringSettings | None:
        if year not in self._settings:
            self._settings[year] = settings_for_year(year)
        return self._settings[year]


def _field_label(name: str) -> str:
    return str(AdverseEventReport._meta.get_field(name).verbose_name)


def _validate(report: AdverseEventReport) -> None:
    """The whole record, with the date order a report must have; ``ValidationError`` by field."""
    errors: dict[str, list[str]] = {}
    if report.learned_on and report.reported_on and report.learned_on > report.reported_on:
        errors.setdefault("reported_on", []).append(_("报告日期不能早于获知日期"))
    if report.occurred_on and report.learned_on and report.occurred_on > report.learned_on:
        errors.setdefault("learned_on", []).append(_("获知日期不能早于事件发生日期"))
    if report.occurred_on and report.reported_on and report.occurred_on > report.reported_on:
        errors.setdefault("occurred_on", []).append(_("事件发生日期不能晚于报告日期"))
    if report.reporter_kind and report.reporter_kind not in NO_MATCH_KINDS and not report.reporter_name.strip():
        errors.setdefault("reporter_name", []).append(_("报告来源不是个人时须填写报告单位名称"))
    try:
        report.full_clean(exclude=[*errors, *DERIVED_FIELDS], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _snapshot(report: AdverseEventReport) -> dict[str, Any]:
    return {f.attname: getattr(report, f.attname) for f in AdverseEventReport._meta.concrete_fields
            if f.name in REPORT_FIELDS or f.name in DERIVED_FIELDS}


def report_prepare(
    *, report: AdverseEventReport | None, fields: dict[str, Any], matcher: ReportMatcher | None = None,
) -> tuple[AdverseEventReport, list[str]]:
    """``fields`` applied to ``report`` (a new one when None) with the derived fields worked out and the
    record validated; returns it unsaved with the names of the fields that change. Nothing is written.
    """
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    new = report is None
    report = AdverseEventReport() if new else report
    before = {} if new else _snapshot(report)
    previous_name = normalise_name(report.reporter_name)
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            value = (value or "").strip()
        setattr(report, name, value)
    report.reporter_credit_code = report.reporter_credit_code.upper()
    matcher = matcher or ReportMatcher.for_fields(report_fields_from(report))

    keep_manual = (not new and report.reporter_match in MANUAL_MATCHES and report.reporter_id is not None
                   and normalise_name(report.reporter_name) == previous_name
                   and report.reporter_kind not in NO_MATCH_KINDS)
    if not keep_manual:
        report.reporter, report.reporter_match = matcher.reporter(
            kind=report.reporter_kind, name=report.reporter_name, credit_code=report.reporter_credit_code)
    report.registrant = matcher.registrant(name=report.registrant_name,
                                           registration_number=report.registration_number)
    report.unit = _owning_unit(report)
    _validate(report)
    if report.reported_on:
        report.is_late = report_is_late(report, matcher.settings(report.reported_on.year))
    after = _snapshot(report)
    changed = [f.name for f in AdverseEventReport._meta.concrete_fields
               if f.attname in after and (new or before.get(f.attname) != after[f.attname])]
    return report, changed


def _owning_unit(report: AdverseEventReport):
    if report.subdistrict_id is not None:
        return report.subdistrict.unit
    if report.reporter is not None:
        return report.reporter.owning_unit
    return None


def _require_own_unit(by: User, report: AdverseEventReport) -> None:
    """A 所 user keeps the report in its own jurisdiction (else it would vanish from its lists)."""
    scope = scope_for(by)
    if not scope.district_wide and report.unit_id != scope.unit_id:
        raise ValidationError({"subdistrict": [_(
            "该报告按街道/镇或报告单位不属于本所辖区，保存后本所将无法查看；请核对街道/镇和报告单位，或由药械科录入")]})


def _save(report: AdverseEventReport, *, by: User | None, reason: str = "") -> AdverseEventReport:
    report._history_user = by
    if reason:
        report._change_reason = reason[:100]
    report.save()
    return report


@transaction.atomic
def report_create(*, by: User, reason: str = "", matcher: ReportMatcher | None = None,
                  **fields: Any) -> AdverseEventReport:
    """Enter a report by hand (or from the API or an import row); the 报告编码 must be new."""
    require_write(by)
    code = (fields.get("code") or "").strip()
    report, _changed = report_prepare(report=None, fields=fields, matcher=matcher)
    if code and AdverseEventReport.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("报告编码“%(c)s”已存在，请打开该报告修改") % {"c": code}]})
    _require_own_unit(by, report)
    _save(report, by=by, reason=reason)
    evaluations_scan(reports=[report], after_write=True)
    return report


@transaction.atomic
def report_update(
    *, report: AdverseEventReport, by: User, version: int | None = None, reason: str = "",
    matcher: ReportMatcher | None = None, **fields: Any,
) -> AdverseEventReport:
    """Change a report; omitted fields keep their value. Nothing is saved when nothing changes.

    ``version`` is the version the edit started from (``EditConflict`` when someone saved since).
    """
    require_edit(by, report)
    report = version_lock(report, version=version, submitted=fields)
    code = (fields.get("code") or report.code).strip()
    if code != report.code and AdverseEventReport.objects.filter(code=code).exclude(pk=report.pk).exists():
        raise ValidationError({"code": [_("报告编码“%(c)s”已被其他报告使用") % {"c": code}]})
    report, changed = report_prepare(report=report, fields=fields, matcher=matcher)
    _require_own_unit(by, report)
    if changed:
        _save(report, by=by, reason=reason)
        evaluations_scan(reports=[report], after_write=True)
    return report


@transaction.atomic
def reporter_resolve(*, report: AdverseEventReport, enterprise: Enterprise, by: User) -> int:
    """Tie an unmatched report's reporting unit to ``enterprise`` by hand and remember the name.

    Every other unmatched report of the same (normalised) name is matched too; the next import matches the
    name through the remembered ``ReporterAlias``. Returns the number of reports matched.
    """
    require_district(by)
    if report.reporter_kind in NO_MATCH_KINDS:
        raise ValidationError(_("个人报告无需指定报告单位"))
    name = normalise_name(report.reporter_name)
    if not name:
        raise ValidationError(_("该报告没有报告单位名称，请先在报告中填写"))
    ReporterAlias.objects.update_or_create(name=name, defaults={"enterprise": enterprise, "created_by": by})
    others = AdverseEventReport.objects.filter(
        reporter_match=ReporterMatch.UNMATCHED).exclude(reporter_kind__in=NO_MATCH_KINDS).exclude(pk=report.pk)
    same_name = [r for r in others.filter(_name_q(report.reporter_name)).select_related("subdistrict__unit")
                 if normalise_name(r.reporter_name) == name]
    count = 0
    for target, how in [(report, ReporterMatch.MANUAL), *((r, ReporterMatch.ALIAS) for r in same_name)]:
        target = version_lock(target, version=None)
        target.reporter, target.reporter_match = enterprise, how
        target.unit = _owning_unit(target)
        _save(target, by=by, reason=_("指定报告单位：%(e)s") % {"e": enterprise.name})
        count += 1
    return count


def _name_q(name: str) -> Q:
    q = Q()
    for variant in _name_variants([name]):
        q |= Q(reporter_name=variant)
    return q


def report_fields_from(report: AdverseEventReport) -> dict[str, Any]:
    """The user-set fields of a report (for a form's initial values or a comparison)."""
    return {name: getattr(report, name) for name in REPORT_FIELDS}



@transaction.atomic
def report_save_prepared(*, report: AdverseEventReport, by: User, reason: str = "") -> AdverseEventReport:
    """Save a report prepared by ``report_prepare`` from an import row (the 药械科's imports only)."""
    require_district(by)
    return _save(report, by=by, reason=reason)
