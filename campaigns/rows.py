"""Which enterprises belong to a form row: the row's link (``enterprises.links.link_q``) and its tags.

Defined once here; the metrics (reporting) and the demo linking (campaigns.demo) both use it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from campaigns.models import FormRow
from enterprises.links import link_q
from enterprises.models import Enterprise, Tag


class TagIndex:
    """Tag codes → ids including descendants; loaded with one query (the tag table is small)."""

    def __init__(self) -> None:
        tags = list(Tag.objects.values_list("id", "code", "parent_id"))
        self._id = {code: pk for pk, code, _parent in tags}
        self._children: dict[int, list[int]] = {}
        for pk, _code, parent in tags:
            if parent:
                self._children.setdefault(parent, []).append(pk)

    def ids(self, codes: Iterable[str]) -> list[int]:
        found: list[int] = []
        stack = [self._id[c] for c in codes if c in self._id]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.append(pk)
                stack.extend(self._children.get(pk, []))
        return sorted(found)


def row_q(row: FormRow, tags: TagIndex, enterprise_path: str = "") -> Q:
    """Records (or enterprises, with an empty path) whose enterprise belongs to ``row``."""
    through = Enterprise.tags.through
    id_lookup = f"{enterprise_path}id__in" if enterprise_path else "id__in"
    q = link_q(row.link, prefix=enterprise_path)
    if row.tag_codes:
        ids = tags.ids(row.tag_codes)
        q &= Q(**{id_lookup: through.objects.filter(tag_id__in=ids).values("enterprise_id")})
    if row.exclude_tag_codes:
        ids = tags.ids(row.exclude_tag_codes)
        q &= ~Q(**{id_lookup: through.objects.filter(tag_id__in=ids).values("enterprise_id")})
    return q
