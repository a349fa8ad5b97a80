"""Excel import of enterprises and their licences: every row checked, all-or-nothing, re-import updates by
credit code (enterprises) and by type and number (licences).

The 企业 sheet holds one enterprise a row; the optional 许可证备案 sheet one licence or filing a row, tied to
its enterprise by the credit code (an enterprise of the same file or one already registered).

Cells are parsed here (names → subdistricts, roles, tags; dates); the record itself is validated by
the same services the pages use (``enterprise_create`` / ``enterprise_update``), each row in its own
savepoint, and the whole import is rolled back when any row fails.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from enterprises.choices import (
    DeviceClass,
    HospitalGrade,
    InstitutionType,
    LicenceKind,
    LicenceStatus,
    OperationMode,
)
from enterprises.models import Enterprise, ImportJob, Licence, Subdistrict, Tag, User
from enterprises.services import enterprise_create, enterprise_update, licence_create, licence_update
from enterprises.validators import credit_code_check_char, validate_credit_code
from regsys.jobs import job_claim, job_enqueue, job_fail, job_progress, job_succeed
from regsys.scoping import can_edit, require_write
from regsys.xlsx import row as xlsx_row

logger = logging.getLogger(__name__)
SHEET_NAME = "企业"
LICENCE_SHEET_NAME = "许可证备案"
MAX_COLUMNS = 60  # cells read per row; the template has 18 columns
Progress = Callable[[int, str], None]

# Role names accepted in the 企业类别 column → the flag they set.
ROLE_NAMES: dict[str, str] = {
    "生产企业": "is_manufacturer",
    "注册人/备案人": "is_registrant",
    "委托生产": "entrusts_production",
    "受托生产企业": "is_contract_manufacturer",
    "经营企业": "is_operator",
    "第二类经营备案": "operates_class2",
    "第三类经营许可": "operates_class3",
    "提供贮存配送服务": "provides_logistics",
    "集采中选产品配送单位": "is_vbp_distributor",
    "使用单位": "is_user_unit",
    "网络销售企业": "is_online_seller",
    "网络交易服务第三方平台": "is_platform",
    "异地设库": "is_remote_warehouse",
}
ROLE_ALIASES = {"注册人": "注册人/备案人", "备案人": "注册人/备案人", "第三方平台": "网络交易服务第三方平台"}

CHOICE_COLUMNS = {
    "operation_mode": OperationMode,
    "institution_type": InstitutionType,
    "hospital_grade": HospitalGrade,
    "max_device_class": DeviceClass,
}
# Other words a sheet may use for a choice: the grades as written before 甲/乙 were told apart (三级, 二级)
# and the usual short forms (三甲 …).
CHOICE_ALIASES = {
    "hospital_grade": {
        "三级": HospitalGrade.GRADE_3, "二级": HospitalGrade.GRADE_2, "三甲": HospitalGrade.GRADE_3A,
        "三乙": HospitalGrade.GRADE_3B, "二甲": HospitalGrade.GRADE_2A, "二乙": HospitalGrade.GRADE_2B,
    },
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool
    help: str


COLUMNS: list[Column] = [
    Column("统一社会信用代码", "credit_code", True, "18位，按GB 32100-2015校验；再次导入时按此代码更新"),
    Column("企业名称", "name", True, ""),
    Column("所在街道/镇", "subdistrict", True, "须与系统中的街道/镇名称一致"),
    Column("企业类别", "roles", True, "可填多个，用顿号“、”分隔，见下方可选值"),
    Column("经营方式", "operation_mode", False, "批发/零售/批零兼营（经营企业填写）"),
    Column("机构类型", "institution_type", False, "使用单位填写"),
    Column("医院等级", "hospital_grade", False, "医院填写"),
    Column("产品最高管理类别", "max_device_class", False, "第一类/第二类/第三类（生产企业填写）"),
    Column("产品领域", "tags", False, "可填多个，用顿号“、”分隔，见下方可选值"),
    Column("法定代表人", "legal_representative", False, ""),
    Column("企业负责人", "person_in_charge", False, ""),
    Column("质量负责人", "quality_manager", False, ""),
    Column("联系电话", "phone", False, ""),
    Column("住所（注册地址）", "registered_address", False, ""),
    Column("经营/生产地址", "business_address", False, ""),
    Column("库房地址", "warehouse_address", False, ""),
    Column("异地设库企业许可地", "home_licence_info", False, "异地设库企业必填：许可所在地及许可证号"),
    Column("成立/登记日期", "established_on", False, "日期，如 2020-05-18"),
]
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}

# The 许可证备案 sheet: the fields of ``Licence`` (headers are its verbose names) and the enterprise's code.
LICENCE_COLUMNS: list[Column] = [
    Column("统一社会信用代码", "credit_code", True, "持证企业的代码：本文件“企业”表中的企业，或系统中已登记的企业"),
    Column("证照类型", "kind", True, "见下方可选值（可省略“医疗器械”，如“第二类经营备案”）"),
    Column("证照编号", "number", True, "如 浙温药监械经营备20240001号；再次导入同一类型、同一编号时更新该证照"),
    Column("发证机关", "issuer", False, "如 温州市市场监督管理局"),
    Column("发证日期", "issued_on", False, "日期，如 2024-03-01"),
    Column("有效期至", "expires_on", False, "日期；备案凭证没有有效期的不填"),
    Column("许可/备案范围", "scope", False, "如 第二类医疗器械（不含体外诊断试剂）"),
    Column("状态", "status", False, "不填：新证照为“有效”，已有证照保持原状态；见下方可选值"),
]
LICENCE_COLUMN_BY_FIELD = {c.field: c for c in LICENCE_COLUMNS}
LICENCE_CHOICES = {"kind": LicenceKind, "status": LicenceStatus}
SPLIT = re.compile(r"[、,，;；\n]+")


@dataclass
class RowError:
    row: int
    column: str
    message: str
    sheet: str = SHEET_NAME


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    licences_created: int = 0
    licences_updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not match:
        raise ValueError
    return datetime.date(*(int(part) for part in match.groups()))


class _Lookups:
    """Reference data read once per import."""

    def __init__(self) -> None:
        self.subdistricts = {s.name: s for s in Subdistrict.objects.all()}
        tags = list(Tag.objects.filter(is_active=True).select_related("parent"))
        self.tags: dict[str, list[Tag]] = {}
        for tag in tags:
            for key in {tag.name, str(tag), tag.code}:
                self.tags.setdefault(key, []).append(tag)
        self.choices = {
            name: {**{str(label): value for value, label in choices.choices}, **CHOICE_ALIASES.get(name, {})}
            for name, choices in CHOICE_COLUMNS.items()
        }
        # Licence types and statuses by their label, and by the label without "医疗器械" (第二类经营备案).
        self.licence_choices = {
            name: {
                key: value for value, label in choices.choices
                for key in (str(label), str(label).replace("医疗器械", ""))
            }
            for name, choices in LICENCE_CHOICES.items()
        }


def _read_cell(
    column: Column, values: dict[str, Any], formulas: set[str], errors: list[tuple[str, str]],
) -> tuple[Any, str] | None:
    """A cell's (raw value, text), or None after noting why it cannot be read (a formula, a required blank)."""
    if column.header in formulas:
        errors.append((column.header, "该单元格是公式，请改为直接填写内容（可复制后“选择性粘贴”为数值）"))
        return None
    raw = values.get(column.header)
    text = _text(raw)
    if column.required and not text:
        errors.append((column.header, "必填，不能为空"))
        return None
    return raw, text


def _parse_row(
    values: dict[str, Any], lookups: _Lookups, formulas: set[str] = frozenset(),
) -> tuple[dict, list[Tag], list[tuple[str, str]]]:
    """Cells → service arguments; returns (fields, tags, [(column header, message)])."""
    fields: dict[str, Any] = {}
    tags: list[Tag] = []
    errors: list[tuple[str, str]] = []

    for column in COLUMNS:
        cell = _read_cell(column, values, formulas, errors)
        if cell is None:
            continue
        raw, text = cell
        if column.field == "credit_code":
            code = text.upper()
            try:
                validate_credit_code(code)
            except ValidationError as exc:
                errors.append((column.header, "；".join(exc.messages)))
            fields["credit_code"] = code
        elif column.field == "subdistrict":
            subdistrict = lookups.subdistricts.get(text)
            if subdistrict is None:
                errors.append((column.header, f"系统中没有名为“{text}”的街道/镇"))
            fields["subdistrict"] = subdistrict
        elif column.field == "roles":
            for flag in ROLE_NAMES.values():
                fields[flag] = False
            for name in filter(None, (part.strip() for part in SPLIT.split(text))):
                flag = ROLE_NAMES.get(ROLE_ALIASES.get(name, name))
                if flag is None:
                    errors.append((column.header, f"无法识别的企业类别“{name}”"))
                else:
                    fields[flag] = True
        elif column.field == "tags":
            for name in filter(None, (part.strip() for part in SPLIT.split(text))):
                matches = lookups.tags.get(name, [])
                if len(matches) == 1:
                    tags.append(matches[0])
                elif not matches:
                    errors.append((column.header, f"无法识别的产品领域“{name}”"))
                else:
                    errors.append((column.header, f"产品领域“{name}”有重名，请写成“上级 / 名称”"))
        elif column.field in CHOICE_COLUMNS:
            if text and text not in lookups.choices[column.field]:
                allowed = "、".join(lookups.choices[column.field])
                errors.append((column.header, f"“{text}”不是可选值（可选：{allowed}）"))
            fields[column.field] = lookups.choices[column.field].get(text, "")
        elif column.field == "established_on":
            try:
                fields["established_on"] = _date(raw)
            except (ValueError, TypeError):
                errors.append((column.header, f"“{text}”不是有效日期，请填写如 2020-05-18"))
        else:
            fields[column.field] = text
    return fields, tags, errors


def _parse_licence_row(
    values: dict[str, Any], lookups: _Lookups, formulas: set[str] = frozenset(),
) -> tuple[str, dict, list[tuple[str, str]]]:
    """Cells of a 许可证备案 row → (credit code, licence fields, [(column header, message)])."""
    code = ""
    fields: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for column in LICENCE_COLUMNS:
        cell = _read_cell(column, values, formulas, errors)
        if cell is None:
            continue
        raw, text = cell
        if column.field == "credit_code":
            code = text.upper()
        elif column.field in LICENCE_CHOICES:
            choices = lookups.licence_choices[column.field]
            if text and text not in choices:
                allowed = "、".join(str(label) for _value, label in LICENCE_CHOICES[column.field].choices)
                errors.append((column.header, f"“{text}”不是可选值（可选：{allowed}）"))
            elif text:
                fields[column.field] = choices[text]
        elif column.field in ("issued_on", "expires_on"):
            try:
                fields[column.field] = _date(raw)
            except (ValueError, TypeError):
                errors.append((column.header, f"“{text}”不是有效日期，请填写如 2024-03-01"))
        else:
            fields[column.field] = text
    return code, fields, errors


def _service_errors(exc: ValidationError, columns: dict[str, Column] = COLUMN_BY_FIELD) -> list[tuple[str, str]]:
    if not hasattr(exc, "error_dict"):
        return [("整行", "；".join(exc.messages))]
    result = []
    for name, messages in exc.message_dict.items():
        if name in columns:
            header = columns[name].header
        elif name in ROLE_NAMES.values():
            header = COLUMN_BY_FIELD["roles"].header
        elif name in ("owning_unit", "owning_unit_override_reason"):
            header = "监管单位"
        else:
            header = "整行"
        result.append((header, "；".join(messages)))
    return result


def example_credit_code() -> str:
    """The made-up credit code of the template's example row (valid check character, never a real firm)."""
    body = "91330302MA2K00000"
    return body + credit_code_check_char(body)


def _max_rows() -> int:
    return settings.REGSYS_IMPORT_MAX_ROWS


def _too_many_rows() -> RowError:
    return RowError(_max_rows() + 2, "整行", f"文件超过 {_max_rows()} 行（空行也计入），请删除多余的空行或分批导入")


def _over_row_limit(file) -> bool:
    """Whether a worksheet of the .xlsx has more rows than the header plus the limit, blank rows included.

    Streams the sheet XML and stops at the limit, so a sheet of a million blank rows costs no more than the
    limit (openpyxl would scan such a sheet end to end for its size before reading a row).
    """
    limit = _max_rows() + 1
    try:
        with zipfile.ZipFile(file) as archive:
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with archive.open(name) as xml:
                    count = 0
                    for _event, element in ElementTree.iterparse(xml, events=("end",)):
                        if element.tag.rsplit("}", 1)[-1] == "row":
                            count += 1
                            if max(count, int(element.get("r") or 0)) > limit:
                                return True
                            element.clear()
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return False  # not an .xlsx: load_workbook says so
    finally:
        file.seek(0)
    return False


def read_body_rows(rows, headers: list[str], *, header_row: int, result) -> list[tuple[int, dict[str, Any], set[str]]] | None:
    """The rows under the header as (row number, {header: value}, headers of formula cells), blank rows left
    out. Every row read counts toward the limit, blank or not; None when there are too many (the reason is
    added to ``result.errors``). Shared by every Excel import."""
    read: list[tuple[int, dict[str, Any], set[str]]] = []
    for row_number, cells in enumerate(rows, start=header_row + 1):
        if row_number - header_row > _max_rows():
            result.errors.append(_too_many_rows())
            return None
        values: dict[str, Any] = {}
        formulas: set[str] = set()
        for header, cell in zip(headers, cells, strict=False):
            if header:
                values[header] = cell.value
                if getattr(cell, "data_type", None) == "f":
                    formulas.add(header)
        if all(_text(v) == "" for v in values.values()):
            continue
        read.append((row_number, values, formulas))
    return read


def _read_rows(
    sheet, result: ImportResult, *, columns: list[Column] = COLUMNS, sheet_name: str = SHEET_NAME,
    required: bool = True,
) -> list[tuple[int, dict[str, Any], set[str]]] | None:
    """Header check, then every row as (row number, {header: value}, headers of formula cells).

    Every row read counts toward the limit, blank or not, so a sheet of a million empty rows is refused
    after the limit without reading on; None when the file is refused (the reason is in ``result``).
    A sheet that is not ``required`` (the licences) may have no rows.
    """
    rows = sheet.iter_rows(max_col=MAX_COLUMNS)
    header_row = next(rows, None) or ()
    headers = [_text(cell.value).rstrip("*＊").strip() for cell in header_row]
    missing = [c.header for c in columns if c.required and c.header not in headers]
    if missing and (required or any(headers)):
        result.errors.append(RowError(1, "、".join(missing), "表头缺少必填列，请使用下载的导入模板", sheet_name))
        return None
    read = read_body_rows(rows, headers, header_row=1, result=result)
    if read is None:
        return None
    if not read and required:
        result.errors.append(RowError(0, "文件", f"没有数据：“{sheet.title}”工作表表头下没有任何企业行"))
        return None
    return read


def enterprises_import(*, file, by: User, progress: Progress | None = None) -> ImportResult:
    """Check every row of ``file`` (.xlsx) and import all of them, or none when any row fails.

    ``progress(percent, message)`` is called as rows are read and saved (the import job's progress bar).
    """
    result = ImportResult()
    report = progress or (lambda percent, message: None)
    if _over_row_limit(file):
        result.errors.append(_too_many_rows())
        return result
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any unreadable upload is the user's file, not our bug
        result.errors.append(RowError(0, "文件", "无法读取该文件，请使用下载的导入模板（.xlsx）填写"))
        return result
    try:
        sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size may understate the rows: read the rows really there
        report(5, "正在读取文件")
        read = _read_rows(sheet, result)
        licence_read: list = []
        if read is not None and LICENCE_SHEET_NAME in workbook.sheetnames:
            licence_sheet = workbook[LICENCE_SHEET_NAME]
            licence_sheet.reset_dimensions()
            licence_read = _read_rows(licence_sheet, result, columns=LICENCE_COLUMNS,
                                      sheet_name=LICENCE_SHEET_NAME, required=False)
    finally:
        workbook.close()
    if read is None or licence_read is None:
        return result

    lookups = _Lookups()
    seen: dict[str, int] = {}
    failed: dict[str, int] = {}  # credit code → 企业 row that did not import
    total = len(read) + len(licence_read)
    step = max(1, total // 50)
    with transaction.atomic():
        for index, (row_number, values, formulas) in enumerate(read):
            if index % step == 0:
                report(10 + 90 * index // total, f"正在检查并导入第 {index + 1}/{total} 行")
            result.rows += 1
            fields, tags, errors = _parse_row(values, lookups, formulas)
            code = fields.get("credit_code", "")
            if code and code == example_credit_code():
                errors.append(("统一社会信用代码", "这是导入模板中的示例行，请删除该行或改成真实企业的信息"))
            elif code and code in seen:
                errors.append(("统一社会信用代码", f"与第{seen[code]}行重复"))
            elif code:
                seen[code] = row_number
            if not errors:
                errors = _save_row(fields, tags, by, result)
            if errors and code:
                failed.setdefault(code, row_number)
            result.errors.extend(RowError(row_number, column, message) for column, message in errors)
        _import_licences(licence_read, lookups, by, result, failed=failed,
                         report=lambda done: report(10 + 90 * (len(read) + done) // total,
                                                    f"正在检查并导入第 {len(read) + done + 1}/{total} 行"),
                         step=step)
        if result.errors:
            result.created = result.updated = result.licences_created = result.licences_updated = 0
            transaction.set_rollback(True)
    return result


def _import_licences(
    read: list, lookups: _Lookups, by: User, result: ImportResult, *, failed: dict[str, int],
    report: Callable[[int], None], step: int,
) -> None:
    """The 许可证备案 rows, after the enterprises (inside the import's transaction)."""
    seen: dict[tuple[str, str], int] = {}
    for index, (row_number, values, formulas) in enumerate(read):
        if index % step == 0:
            report(index)
        result.rows += 1
        code, fields, errors = _parse_licence_row(values, lookups, formulas)
        key = (fields.get("kind", ""), fields.get("number", ""))
        if code and code == example_credit_code():
            errors.append(("统一社会信用代码", "这是导入模板中的示例行，请删除该行或改成真实证照的信息"))
        elif all(key) and key in seen:
            errors.append(("证照编号", f"与本表第{seen[key]}行的证照重复"))
        elif all(key):
            seen[key] = row_number
        if not errors:
            errors = _save_licence(code, fields, by, result, failed=failed)
        result.errors.extend(RowError(row_number, column, message, LICENCE_SHEET_NAME) for column, message in errors)


@transaction.atomic
def import_job_create(*, file, by: User) -> ImportJob:
    """Store an upload and queue its import; the worker checks and imports it (see ``import_job_run``)."""
    require_write(by)
    job = ImportJob(
        created_by=by, unit=by.unit, filename=file.name[:255], title=f"企业导入 {file.name}"[:200],
        message="排队中，等待检查",
    )
    job.file.save(file.name, file, save=False)
    job.save()
    job_enqueue(job)
    return job


def import_job_run(*, job_id: int, task_id: str) -> ImportJob | None:
    """The worker's side of an import job: all rows or none, row-level errors kept on the job."""
    job = job_claim(model=ImportJob, pk=job_id, task_id=task_id)
    if job is None:
        return None
    try:
        # The rows and the job's success commit together: the job never shows 运行中 over imported rows.
        with transaction.atomic():
            with job.file.open("rb") as handle:
                result = enterprises_import(
                    file=handle, by=job.created_by,
                    progress=lambda percent, message: job_progress(job, percent, message),
                )
            job.rows, job.created, job.updated = result.rows, result.created, result.updated
            job.errors = [{"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
                          for e in result.errors]
            if result.ok:
                message = f"导入成功：新增 {result.created} 家，更新 {result.updated} 家"
                if result.licences_created or result.licences_updated:
                    message += f"；许可证/备案凭证新增 {result.licences_created} 个，更新 {result.licences_updated} 个"
                job_succeed(job, message, fields=("rows", "created", "updated", "errors"))
    except OperationalError:
        raise  # the database is away: the task retries
    except Exception as exc:  # noqa: BLE001 - recorded on the job for the user and the log
        logger.exception("import job %s failed", job_id)
        job_fail(job=job, error=f"导入出错：{type(exc).__name__}: {exc}", message="未导入")
        return job
    if not result.ok:
        job.save(update_fields=["rows", "created", "updated", "errors"])
        job_fail(job=job, error=f"文件未导入：共检查 {result.rows} 行，发现 {len(result.errors)} 处错误",
                 message="未导入")
    return job


def _save_row(fields: dict, tags: list[Tag], by: User, result: ImportResult) -> list[tuple[str, str]]:
    existing = Enterprise.objects.filter(credit_code=fields["credit_code"]).first()
    try:
        with transaction.atomic():
            if existing is None:
                enterprise_create(by=by, tags=tags, **fields)
                result.created += 1
            else:
                enterprise_update(enterprise=existing, by=by, tags=tags, **fields)
                result.updated += 1
    except ValidationError as exc:
        return _service_errors(exc)
    except PermissionDenied:
        if existing is not None and not can_edit(by, existing):
            return [("统一社会信用代码", f"该企业由{existing.owning_unit}监管，你无权修改")]
        return [("整行", "按事权划分该企业不归你所在单位监管，你无权导入")]
    return []


def _save_licence(
    code: str, fields: dict, by: User, result: ImportResult, *, failed: dict[str, int],
) -> list[tuple[str, str]]:
    """Create the licence, or update the enterprise's licence of the same type and number."""
    column = LICENCE_COLUMN_BY_FIELD["credit_code"].header
    enterprise = Enterprise.objects.filter(credit_code=code).first()
    if enterprise is None:
        if code in failed:
            return [(column, f"该企业在“{SHEET_NAME}”表第{failed[code]}行有错误，未能导入，请先更正该行")]
        return [(column, f"“{SHEET_NAME}”表和系统中都没有统一社会信用代码为“{code}”的企业")]
    existing = Licence.objects.filter(kind=fields["kind"], number=fields["number"].strip()).first()
    if existing is not None and existing.enterprise_id != enterprise.pk:
        return [(LICENCE_COLUMN_BY_FIELD["number"].header, "该证照编号已登记在其他企业名下，请核对证照类型和编号")]
    try:
        with transaction.atomic():
            if existing is None:
                licence_create(enterprise=enterprise, by=by, **fields)
                result.licences_created += 1
            else:
                licence_update(licence=existing, by=by, **fields)
                result.licences_updated += 1
    except ValidationError as exc:
        return _service_errors(exc, LICENCE_COLUMN_BY_FIELD)
    except PermissionDenied:
        return [(column, f"该企业由{enterprise.owning_unit}监管，你无权为其登记证照")]
    return []


def _template_sheet(ws, columns: list[Column]) -> None:
    """The header row of an import sheet: required columns starred and red."""
    ws.append(xlsx_row(ws, [f"{c.header}*" if c.required else c.header for c in columns]))
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(column.header) * 2 + 4)
    ws.freeze_panes = "A2"


def template_xlsx() -> bytes:
    """The import template: the 企业 and 许可证备案 sheets with headers and one example row each, and a 说明
    sheet with the allowed values."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    _template_sheet(ws, COLUMNS)
    subdistrict = Subdistrict.objects.order_by("code").first()
    tag = Tag.objects.filter(is_active=True, parent__isnull=True).order_by("sort_order").first()
    example = {
        "credit_code": example_credit_code(),
        "name": "温州示例医疗器械有限公司",
        "subdistrict": subdistrict.name if subdistrict else "五马街道",
        "roles": "经营企业、第二类经营备案",
        "operation_mode": str(OperationMode.RETAIL.label),
        "tags": tag.name if tag else "",
        "legal_representative": "王明",
        "person_in_charge": "王明",
        "quality_manager": "李华",
        "phone": "0577-88000000",
        "registered_address": "温州市鹿城区示例路1号",
        "business_address": "温州市鹿城区示例路1号",
        "established_on": datetime.date(2020, 5, 18),
    }
    ws.append(xlsx_row(ws, [example.get(c.field, "") for c in COLUMNS]))
    ws.cell(row=2, column=[c.field for c in COLUMNS].index("established_on") + 1).number_format = "yyyy-mm-dd"

    licences = wb.create_sheet(LICENCE_SHEET_NAME)
    _template_sheet(licences, LICENCE_COLUMNS)
    licence_example = {
        "credit_code": example["credit_code"], "kind": str(LicenceKind.OPERATION_FILING.label),
        "number": "浙温药监械经营备20200000号", "issuer": "温州市市场监督管理局", "issued_on": datetime.date(2020, 6, 1),
        "scope": "第二类医疗器械（不含体外诊断试剂）", "status": str(LicenceStatus.VALID.label),
    }
    licences.append(xlsx_row(licences, [licence_example.get(c.field, "") for c in LICENCE_COLUMNS]))
    for name in ("issued_on", "expires_on"):
        licences.cell(row=2, column=[c.field for c in LICENCE_COLUMNS].index(name) + 1).number_format = "yyyy-mm-dd"

    notes = wb.create_sheet("说明")
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 80
    def note(*values) -> None:
        notes.append(xlsx_row(notes, values))

    note("填写说明")
    notes["A1"].font = Font(bold=True, size=13)
    note("1. 在“企业”工作表中每行填写一家企业；带 * 的列必填；示例行导入前请删除或改成真实数据。")
    note("2. 在“许可证备案”工作表中每行填写一个许可证或备案凭证，用统一社会信用代码对应企业（可不填此表）。")
    note("3. 系统先检查所有行，全部无误才导入；任何一行有错都不会导入，并列出工作表、行号、列名和原因。")
    note("4. 再次导入同一统一社会信用代码的企业时更新该企业，同一类型、同一编号的证照更新该证照，不会重复新增。")
    note("5. 监管单位按事权划分规则自动确定；监管所用户只能导入归本所监管的企业及其证照。")
    header_row = notes.max_row + 2
    for sheet_name, columns in ((SHEET_NAME, COLUMNS), (LICENCE_SHEET_NAME, LICENCE_COLUMNS)):
        note()
        note(f"“{sheet_name}”表的列", "是否必填", "说明")
        for cell in notes[notes.max_row]:
            cell.font = Font(bold=True)
        for column in columns:
            note(column.header, "必填" if column.required else "选填", column.help)
    note()
    note("企业类别可选值", "", "、".join(ROLE_NAMES))
    for name, choices in CHOICE_COLUMNS.items():
        note(f"{COLUMN_BY_FIELD[name].header}可选值", "", "、".join(str(c.label) for c in choices))
    note("所在街道/镇可选值", "", "、".join(Subdistrict.objects.order_by("code").values_list("name", flat=True)))
    note("产品领域可选值", "", "、".join(str(t) for t in Tag.objects.filter(is_active=True).select_related("parent")))
    for name, choices in LICENCE_CHOICES.items():
        note(f"{LICENCE_COLUMN_BY_FIELD[name].header}可选值", "", "、".join(str(c.label) for c in choices))
    for row in notes.iter_rows(min_row=header_row):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
