import pytest
from django.utils.module_loading import import_string

from regsys.bootstrap import DEMO_SEEDERS, REFERENCE_LOADERS


@pytest.mark.parametrize("dotted", REFERENCE_LOADERS + DEMO_SEEDERS)
def test_every_registered_setup_step_exists(dotted):
    assert callable(import_string(dotted))
