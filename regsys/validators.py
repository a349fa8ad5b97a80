"""Bounds of the numbers users type, in one place: model fields, forms and serializers all use these.

Without a bound an over-large number (2**60 people on site) reaches the database and fails there
with a server error; with one it is a field error in Chinese and nothing is saved.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

MAX_STAFF_COUNT = 9999
MAX_AMOUNT = Decimal("999999999999.99")  # max_digits=14, decimal_places=2
MIN_YEAR, MAX_YEAR = 2000, 2100

STAFF_COUNT_VALIDATORS = [MaxValueValidator(MAX_STAFF_COUNT, message=_("人数不能超过%(limit_value)s"))]
AMOUNT_VALIDATORS = [
    MinValueValidator(0, message=_("金额不能为负数")),
    MaxValueValidator(MAX_AMOUNT, message=_("金额不能超过%(limit_value)s元")),
]
YEAR_VALIDATORS = [
    MinValueValidator(MIN_YEAR, message=_("年度不能早于%(limit_value)s年")),
    MaxValueValidator(MAX_YEAR, message=_("年度不能晚于%(limit_value)s年")),
]
