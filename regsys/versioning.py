"""Optimistic locking: a record's ``version`` goes up on every save; an edit names the version it
started from and is refused (nothing written) when someone else saved in between.

One mechanism for every record users edit through forms and the API:

* models declare ``version = VersionField()`` (a counter raised on each save, admin included);
* services call ``version_lock(obj, version=…, submitted=…)`` first: one ``UPDATE … WHERE pk=… AND
  version=…`` checks the version and locks the row in the same statement, so two saves can never
  both pass; a stale version raises ``EditConflict`` listing what the other person changed;
* pages carry the version in a hidden field (``VersionedFormMixin``) and show the conflict with the
  user's input kept; the API carries it in the representation (``VersionedSerializerMixin``,
  required on PUT/PATCH) and answers 409 with the changed fields (``regsys.api.exception_handler``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

EMPTY = "（空）"


class VersionField(models.PositiveIntegerField):
    """The record's edit counter: 1 when created, raised by one on every save of the record."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", gettext_lazy("版本"))
        kwargs.setdefault("default", 1)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("default", 1), ("editable", False)):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname) or 0
        if not add:
            value += 1
            setattr(model_instance, self.attname, value)
        return value or 1


@dataclass(frozen=True)
class FieldChange:
    """One field the other person changed: their (saved) value and the value this edit would write."""

    field: str
    label: str
    theirs: str
    yours: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "theirs": self.theirs, "yours": self.yours}


class EditConflict(Exception):
    """The record was saved by someone else after this edit started; nothing was written."""

    def __init__(self, *, current_version: int, changes: list[FieldChange], by: str, at: datetime.datetime | None):
        self.current_version = current_version
        self.changes = changes
        self.by = by
        self.at = at
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        when = f"{timezone.localtime(self.at):%Y-%m-%d %H:%M}" if self.at else ""
        return _("在你编辑期间，%(by)s%(when)s已保存了该记录，你的修改未保存。") % {
            "by": self.by or _("其他用户"), "when": _("于%(t)s") % {"t": when} if when else ""}

    @property
    def messages(self) -> list[str]:
        lines = [self.summary]
        if self.changes:
            lines.append(_("对方修改了（字段：对方的值 → 你的值）："))
            lines.extend(f"{c.label}：{c.theirs} → {c.yours}" for c in self.changes)
        else:
            lines.append(_("对方修改的是本页以外的信息（如状态或关联记录）。"))
        lines.append(_("你填写的内容已保留；请核对后再次保存，保存后以你的填写为准。"))
        return lines

    def as_data(self) -> dict[str, Any]:
        return {"detail": self.summary, "current_version": self.current_version,
                "changes": [c.as_dict() for c in self.changes]}


def version_lock(obj: models.Model, *, version: int | None, submitted: dict[str, Any] | None = None) -> models.Model:
    """Check that ``obj`` is still at ``version`` and lock its row; return it fresh from the database.

    Call inside the service's transaction before applying the edit. ``version=None`` (internal
    callers) only locks. ``submitted`` (field name → value the edit writes) is used to list the
    other person's changes when the version is stale.
    """
    model = type(obj)
    manager = model._base_manager
    if version is None:
        return manager.select_for_update().get(pk=obj.pk)
    # One statement checks and locks: a concurrent editor's UPDATE waits here, then finds no row.
    if not manager.filter(pk=obj.pk, version=version).update(version=version):
        raise _conflict(model, obj.pk, version, submitted or {})
    return manager.get(pk=obj.pk)


def _conflict(model, pk, version: int, submitted: dict[str, Any]) -> Exception:
    current = model._base_manager.filter(pk=pk).first()
    if current is None:
        return ValidationError(_("该记录已被删除，修改未保存"))
    history = getattr(current, "history", None)
    then = latest = None
    if history is not None:
        then = history.filter(version=version).order_by("-history_id").first()
        latest = history.order_by("-history_id").first()
    changes = []
    for name, value in submitted.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only input such as a reason
            continue
        if not field.concrete or field.many_to_many:
            continue
        now = getattr(current, field.attname)
        before = getattr(then, field.attname) if then is not None else None
        changed = (before != now) if then is not None else (_raw(value) != now)
        if changed:
            changes.append(FieldChange(name, str(field.verbose_name), _display(field, now), _display(field, value)))
    by = ""
    if latest is not None and latest.history_user is not None:
        by = getattr(latest.history_user, "display_name", "") or str(latest.history_user)
    return EditConflict(current_version=current.version, changes=changes, by=by,
                        at=latest.history_date if latest is not None else None)


def _raw(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _display(field, value: Any) -> str:
    if isinstance(value, models.Model):
        return str(value)
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class VersionedFormMixin(forms.Form):
    """An edit form that carries the record's version in a hidden field.

    Pass ``versioned=<record>`` when editing; the form then requires the version. After an
    ``EditConflict`` call ``show_conflict``: the user's input stays, the message lists the other
    person's changes and the hidden version moves on, so saving again succeeds.
    """

    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, versioned: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_conflict: EditConflict | None = None
        if versioned is not None:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _("页面缺少版本号，请刷新后重新填写")
            self.initial["version"] = versioned.version
        else:
            del self.fields["version"]

    def pop_version(self) -> int | None:
        """The version the edit started from, removed from cleaned_data (it is not a model input)."""
        return self.cleaned_data.pop("version", None)

    def show_conflict(self, exc: EditConflict) -> None:
        self.edit_conflict = exc
        data = self.data.copy()
        data[self.add_prefix("version")] = str(exc.current_version)
        self.data = data
        self.add_error(None, exc.messages)


VERSION_HELP = ("乐观锁版本号：读取时返回；修改（PUT/PATCH）时必须原样提交，"
                "若记录已被他人修改则返回 409 及对方修改的字段（changes）")


def version_input() -> serializers.IntegerField:
    """The ``version`` of a plain (non-model) update serializer; take it out with ``pop_version``."""
    return serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="字段名")
    label = serializers.CharField(help_text="字段中文名")
    theirs = serializers.CharField(help_text="对方保存的值（当前值）")
    yours = serializers.CharField(help_text="本次提交的值")


class EditConflictSerializer(serializers.Serializer):
    """The body of a 409: the record changed since the version the request carried; nothing was saved."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField(help_text="记录的当前版本号；核对后用它重新提交")
    changes = FieldChangeSerializer(many=True, help_text="对方修改、而本次提交会覆盖的字段")


def with_conflict(responses: dict) -> dict:
    """OpenAPI responses of a versioned update: the given ones plus 409 ``EditConflictSerializer``."""
    return {**responses, 409: EditConflictSerializer}


def pop_version(data: dict) -> int:
    """The version an API update carries (required even for PATCH, where DRF relaxes ``required``)."""
    version = data.pop("version", None)
    if version is None:
        raise serializers.ValidationError({"version": [_("修改时须提交读取时的版本号 version")]})
    return version


class VersionedSerializerMixin(serializers.Serializer):
    """Puts ``version`` in the representation; an update (PUT/PATCH) must send it back."""

    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None:
            attrs.pop("version", None)  # a new record starts at 1
        elif attrs.get("version") is None:
            raise serializers.ValidationError({"version": [_("修改时须提交读取时的版本号 version")]})
        return attrs
