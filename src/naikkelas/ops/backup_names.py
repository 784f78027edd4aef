"""How backup archives are named, so that every part (backup, retention, ``naikkelas check``,
the health page) finds them the same way: ``naikkelas-backup-20261129-031500Z.tar.gz``, with
``.enc`` appended when encrypted, and a ``sha256sum``-style ``.sha256`` file beside it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

PREFIX = "naikkelas-backup-"
_NAME = re.compile(r"^naikkelas-backup-(\d{8}-\d{6})Z\.tar\.gz(\.enc)?$")
_STAMP = "%Y%m%d-%H%M%S"


def backup_file_name(when: datetime, *, encrypted: bool) -> str:
    stamp = when.astimezone(UTC).strftime(_STAMP)
    return f"{PREFIX}{stamp}Z.tar.gz" + (".enc" if encrypted else "")


def parse_backup_name(name: str) -> datetime | None:
    """The moment (UTC) a backup archive was made, from its name; None for other files."""
    match = _NAME.match(name)
    if match is None:
        return None
    return datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)


def list_backups(directory: Path) -> list[tuple[datetime, Path]]:
    """The backup archives in a directory, oldest first."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        when = parse_backup_name(path.name)
        if when is not None and path.is_file():
            found.append((when, path))
    return sorted(found)
