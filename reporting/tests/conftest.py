import pytest

from campaigns.models import FormTemplate
from campaigns.reference import load_reference as load_forms
from enterprises.reference import load_reference as load_tags


@pytest.fixture
def forms(db):
    """The shipped 2023 统计表一/二 and the product-area tags."""
    load_tags()
    load_forms()
    return {t.code: t for t in FormTemplate.objects.filter(year=2023)}


@pytest.fixture
def all_forms(forms):
    """Every shipped form: also the plan's 2024 附件1 and 附件2 tables."""
    return {t.code: t for t in FormTemplate.objects.all()}


@pytest.fixture
def file_return(django_capture_on_commit_callbacks):
    """return_request with its on-commit build run (tests run inside one transaction)."""
    from reporting.services import return_request

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            ret = return_request(**kwargs)
        ret.refresh_from_db()
        return ret

    return run
