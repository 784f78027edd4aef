"""Export helpers: open the downloaded file (XLSX or CSV) as rows; shared fixtures."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

# The programme fixtures: a dinas officer, a programme, a cycle of four seats needing an NIB.
from tests.programs.conftest import cycle, officer, programme  # noqa: F401


def content_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def xlsx_sheets(response: Any) -> tuple[list[tuple[Any, ...]], dict[Any, Any]]:
    """(rows of the data sheet with the header first, the metadata sheet as a dict)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(content_of(response)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    return rows, about


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = content_of(response).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 with a BOM
    return list(csv.reader(io.StringIO(text[1:])))
