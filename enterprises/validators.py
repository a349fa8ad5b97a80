"""统一社会信用代码 (GB 32100-2015) check."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_CHARSET.index(ch) * weight
        for ch, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位") % {"n": len(code)}, code="length"
        )
    bad = [ch for ch in code if ch not in CREDIT_CODE_CHARSET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有非法字符“%(ch)s”（不使用I、O、Z、S、V）") % {"ch": bad[0]},
            code="charset",
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3-8位应为行政区划码（数字）"), code="region")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：第18位应为“%(e)s”，实际为“%(a)s”")
            % {"e": expected, "a": code[17]},
            code="checksum",
        )
