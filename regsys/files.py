"""Files written by jobs: under a temporary name, then renamed atomically to a name fixed by the job.

Django's storage gives a clashing name a random suffix (``统计表一_v1_a8Xk2.xlsx``); a rerun of a job must
replace its file instead, and a worker killed half-way must leave nothing a user could download.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

from django.core.files.storage import default_storage

TEMP_SUFFIX = ".part"


def file_write_atomic(*, name: str, content: bytes) -> str:
    """Write ``content`` to ``name`` (relative to MEDIA_ROOT) so that readers see the old file or the new one."""

    def write(temp: Path) -> None:
        with open(temp, "wb") as handle:
            handle.write(content)

    return file_write_atomic_with(name=name, write=write)


def file_write_atomic_with(*, name: str, write: Callable[[Path], object]) -> str:
    """Let ``write(path)`` produce the file at a temporary path (streamed, never held in memory), then move it
    to ``name`` (relative to MEDIA_ROOT) atomically."""
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}{TEMP_SUFFIX}")
    try:
        write(temp)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return name


def folder_clear(*, folder: str, keep: tuple[str, ...] = ()) -> list[str]:
    """Delete every file in ``folder`` but ``keep`` (names relative to MEDIA_ROOT); returns what was deleted."""
    root = Path(default_storage.path(folder))
    if not root.is_dir():
        return []
    kept = {Path(default_storage.path(name)) for name in keep}
    deleted = []
    for path in sorted(root.iterdir()):
        if path.is_file() and path not in kept:
            path.unlink(missing_ok=True)
            deleted.append(f"{folder}/{path.name}")
    return deleted
