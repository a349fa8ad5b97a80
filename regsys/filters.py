"""Shared filter pieces for the FilterSets of pages, API and exports."""

from django import forms
from django_filters import NumberFilter

INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class IntegerFilter(NumberFilter):
    """A whole number in the database's integer range (an id, a year, a month).

    ``NumberFilter`` reads a decimal, so ``?enterprise=-6e+255`` reached the database and failed there;
    here it is an invalid filter value (a 400 in the API, ignored on a page).
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", INT_MIN)
        kwargs.setdefault("max_value", INT_MAX)
        super().__init__(*args, **kwargs)
