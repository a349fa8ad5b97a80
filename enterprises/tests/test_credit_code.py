import pytest
from django.core.exceptions import ValidationError

from enterprises.validators import validate_credit_code


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # 福建 published example
    ],
)
def test_valid_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "应为18位"),
        ("91350100M000100Y44", "校验位错误：第18位应为“3”"),
        ("91350100M000100YI3", "非法字符“I”"),
        ("9135010OM000100Y43", "非法字符“O”"),
        ("91AB0100M000100Y43", "行政区划码"),
    ],
)
def test_invalid_codes_get_a_chinese_message(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert message in exc.value.messages[0]
