"""The data migration that rewrites the grading defaults' texts in user terms: only rows still at the old
default change; a text an administrator edited stays."""

import importlib

import pytest
from django.apps import apps

from enterprises.grading.services import scheme_ensure
from enterprises.models import GradeLevel, GradingCriterion, GradingScheme

pytestmark = pytest.mark.django_db
migration = importlib.import_module("enterprises.migrations.0008_grading_notes_in_user_terms")


def test_old_default_texts_are_rewritten_and_edited_ones_kept():
    # given a scheme whose rows still carry the old texts, except one the administrator edited
    scheme, _created = scheme_ensure(year=2025)
    GradingScheme.objects.filter(pk=scheme.pk).update(note=migration.OLD_NOTE)
    for code, old, _new in migration.LEVEL_BASIS:
        GradeLevel.objects.filter(scheme=scheme, code=code).update(basis=old)
    for code, old, _new in migration.CRITERION_BASIS:
        GradingCriterion.objects.filter(scheme=scheme, code=code).update(basis=old)
    GradeLevel.objects.filter(scheme=scheme, code="o2").update(basis="本局2025年文件第3条")

    # when the migration runs
    migration.forwards(apps, None)

    # then every old default reads in user terms, and the edited one is untouched
    scheme.refresh_from_db()
    assert scheme.note == "多数等级划分和检查频次为默认值，未经本局确认，可在系统管理中按上级文件修改。"
    levels = dict(GradeLevel.objects.filter(scheme=scheme).values_list("code", "basis"))
    assert levels["o2"] == "本局2025年文件第3条"
    assert levels["p4"] == "生产办法第49条：重点监管品种目录产品企业每年至少检查1次；等级划分为默认值，未经本局确认，可在系统管理中修改"
    texts = [*levels.values(), *GradingCriterion.objects.filter(scheme=scheme).values_list("basis", flat=True)]
    assert [t for t in texts if any(mark in t for mark in ("[R]", "[C]", "[S]", "回忆", "flcube", "domain.md"))] == []


def test_the_new_defaults_are_what_the_migration_writes():
    """A new year's scheme and a migrated old one read the same."""
    scheme, _created = scheme_ensure(year=2025)
    levels = dict(GradeLevel.objects.filter(scheme=scheme).values_list("code", "basis"))
    criteria = dict(GradingCriterion.objects.filter(scheme=scheme).values_list("code", "basis"))

    assert {code: levels[code] for code, _old, _new in migration.LEVEL_BASIS} == {
        code: new for code, _old, new in migration.LEVEL_BASIS}
    assert {code: criteria[code] for code, _old, _new in migration.CRITERION_BASIS} == {
        code: new for code, _old, new in migration.CRITERION_BASIS}
    assert str(scheme.note) == migration.NEW_NOTE
