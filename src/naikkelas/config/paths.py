"""Where naikkelas keeps its files: ``NAIKKELAS_DATA_DIR`` (default ``./var``)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    path = Path(os.environ.get("NAIKKELAS_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
