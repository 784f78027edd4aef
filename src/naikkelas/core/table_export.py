"""One table of a page as an XLSX (with a metadata sheet) or CSV download, audited.

Every page that shows tables offers each one as ``?tabel=<name>&format=xlsx|csv`` (links from
``templates/reports/_export.html``); the view builds the rows it shows and hands them here.
:func:`table_export_response` is for small tables (counts: built in memory); large lists (the
register) stream with :func:`csv_streaming_response` and :func:`xlsx_file_response`.

The audit event carries the format, the row count and the filters, never the rows: callers
pass filters without personal data.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_log
from naikkelas.core.exports import csv_chunks, write_csv, write_xlsx

FORMATS = ("xlsx", "csv")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class ExportTable:
    """One table of a page: its file name, title (sheet and metadata), header and rows."""

    name: str
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def export_format(request: HttpRequest) -> str:
    """``?format=`` (XLSX when absent); anything else is ``Http404``."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404
    return fmt


def export_metadata(
    request: HttpRequest, *, title: str, filters: dict[str, Any]
) -> list[tuple[str, Any]]:
    """The metadata sheet: which report, generated when, by whom, with which filters."""
    return [
        (_("Laporan"), title),
        (_("Dibuat"), timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")),
        (_("Oleh"), getattr(request.user, "username", "")),
        *((_("Filter: %(name)s") % {"name": k}, v) for k, v in filters.items()),
        (_("Sumber"), "naikkelas"),
    ]


def _file_name(name: str, fmt: str) -> str:
    return f"{name}-{timezone.localdate().isoformat()}.{fmt}"


def _audit(
    request: HttpRequest,
    *,
    action: str,
    object_type: str,
    name: str,
    fmt: str,
    count: int,
    filters: dict[str, Any],
) -> None:
    audit_log(
        actor=request.user,
        action=action,
        object_type=object_type,
        object_id=name,
        request=request,
        extra={"format": fmt, "rows": count, "filters": filters},
    )


def table_export_response(
    request: HttpRequest,
    *,
    name: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    filters: dict[str, Any],
    action: str = "report.export",
    object_type: str = "report",
) -> HttpResponse:
    """A small table as an attachment in the format of ``?format=`` (404 for an unknown one),
    audited as ``action`` with the format, row count and ``filters``."""
    fmt = export_format(request)
    content, count, content_type = table_bytes(
        fmt,
        header=header,
        rows=rows,
        title=title,
        metadata=(export_metadata(request, title=title, filters=filters) if fmt == "xlsx" else ()),
    )
    _audit(
        request,
        action=action,
        object_type=object_type,
        name=name,
        fmt=fmt,
        count=count,
        filters=filters,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(name, fmt)}"'
    return response


def table_bytes(
    fmt: str,
    *,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title: str,
    metadata: Sequence[tuple[str, Any]] = (),
) -> tuple[bytes, int, str]:
    """A small table in memory: (file content, rows written, content type). CSV is UTF-8 with
    a byte-order mark (Excel opens it right); XLSX carries ``metadata`` on a second sheet."""
    buffer = io.BytesIO()
    if fmt == "csv":
        text = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")
        count = write_csv(rows, header, text)
        text.flush()
        text.detach()
        return buffer.getvalue(), count, CSV_CONTENT_TYPE
    count = write_xlsx(rows, header, buffer, sheet_title=title, metadata=list(metadata))
    return buffer.getvalue(), count, XLSX_CONTENT_TYPE


def export_table_response(
    request: HttpRequest,
    tables: dict[str, ExportTable],
    *,
    filters: dict[str, Any],
    action: str = "report.export",
    object_type: str = "report",
) -> HttpResponse:
    """The table named by ``?tabel=`` among ``tables`` (404 for another name)."""
    table = tables.get(request.GET.get("tabel", ""))
    if table is None:
        raise Http404
    return table_export_response(
        request,
        name=table.name,
        title=table.title,
        header=table.header,
        rows=table.rows,
        filters=filters,
        action=action,
        object_type=object_type,
    )


def csv_streaming_response(
    request: HttpRequest,
    *,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    count: int,
    filters: dict[str, Any],
    action: str,
    object_type: str,
) -> StreamingHttpResponse:
    """A large table streamed as CSV while ``rows`` is iterated (pass a lazy iterator).

    The audit event is written before streaming, with ``count`` (the caller counted the rows):
    a download the client abandons half-way is still recorded.
    """
    _audit(
        request,
        action=action,
        object_type=object_type,
        name=name,
        fmt="csv",
        count=count,
        filters=filters,
    )
    response = StreamingHttpResponse(csv_chunks(rows, header), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(name, "csv")}"'
    return response


def xlsx_file_response(
    request: HttpRequest,
    *,
    name: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    filters: dict[str, Any],
    action: str,
    object_type: str,
) -> FileResponse:
    """A large table as XLSX: written in openpyxl's write-only mode to a temporary file on
    disk (memory stays flat), then sent from there. Audited with the rows written."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # FileResponse closes it
    metadata = export_metadata(request, title=title, filters=filters)
    count = write_xlsx(rows, header, spool, sheet_title=title, metadata=metadata)
    spool.seek(0)
    _audit(
        request,
        action=action,
        object_type=object_type,
        name=name,
        fmt="xlsx",
        count=count,
        filters=filters,
    )
    return FileResponse(
        spool,
        as_attachment=True,
        filename=_file_name(name, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
