"""The register list as a download: the list page's search and filters, within the user's
scope, NIK and phone masked; CSV streamed, XLSX up to ``XLSX_MAX_ROWS`` rows; audited as
``register.export`` with the (masked) filters and the row count."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from naikkelas.accounts.permissions import Capability, requires
from naikkelas.core.table_export import csv_streaming_response, export_format, xlsx_file_response
from naikkelas.registry.access import business_scope
from naikkelas.registry.exports import (
    business_export_filters,
    business_export_header,
    business_export_rows,
)
from naikkelas.registry.forms import BusinessFilterForm
from naikkelas.registry.selectors import BusinessFilters, business_list

# An XLSX sheet holds 1,048,576 rows, but writing and opening one that large takes minutes;
# beyond this the office downloads CSV or narrows the filter.
XLSX_MAX_ROWS = 200_000
EXPORT_NAME = "register-usaha"
AUDIT_ACTION = "register.export"


@requires(Capability.REGISTER_EXPORT)
@require_GET
def business_export(request: HttpRequest) -> HttpResponseBase:
    fmt = export_format(request)
    data = request.GET.copy()
    if "status" not in data:  # as the list: active businesses unless asked otherwise
        data["status"] = "active"
    form = BusinessFilterForm(data)
    filters = form.filters() if form.is_valid() else BusinessFilters()
    businesses = business_list(base=business_scope(user=request.user), filters=filters)
    count = businesses.count()
    described = business_export_filters(filters)
    if fmt == "xlsx" and count > XLSX_MAX_ROWS:
        return _too_large_for_xlsx(request, count)
    rows = business_export_rows(businesses)
    if fmt == "csv":
        return csv_streaming_response(
            request,
            name=EXPORT_NAME,
            header=business_export_header(),
            rows=rows,
            count=count,
            filters=described,
            action=AUDIT_ACTION,
            object_type="registry.business",
        )
    return xlsx_file_response(
        request,
        name=EXPORT_NAME,
        title=_("Register usaha"),
        header=business_export_header(),
        rows=rows,
        filters=described,
        action=AUDIT_ACTION,
        object_type="registry.business",
    )


def _too_large_for_xlsx(request: HttpRequest, count: int) -> HttpResponse:
    messages.error(
        request,
        _(
            "Hasil saringan berisi %(count)s usaha, lebih dari batas unduhan XLSX "
            "(%(limit)s baris). Unduh sebagai CSV, atau persempit saringan (misalnya per "
            "kecamatan atau sektor) lalu unduh XLSX lagi."
        )
        % {
            "count": f"{count:,}".replace(",", "."),
            "limit": f"{XLSX_MAX_ROWS:,}".replace(",", "."),
        },
    )
    query = request.GET.copy()
    query.pop("format", None)
    return redirect(f"{reverse('registry:business_list')}?{query.urlencode()}")
