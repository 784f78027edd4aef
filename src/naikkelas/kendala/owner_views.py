"""The owner's side: report a kendala for one of their businesses and read the answers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from naikkelas.accounts.permissions import Capability, requires
from naikkelas.core.exceptions import ApplicationError
from naikkelas.kendala import services
from naikkelas.kendala.forms import OwnerKendalaForm
from naikkelas.kendala.models import KendalaChannel
from naikkelas.kendala.selectors import kendala_of_owner
from naikkelas.registry.access import business_get_accessible, business_scope
from naikkelas.registry.models import BusinessStatus


@requires(Capability.OWNER_PORTAL)
@require_http_methods(["GET", "POST"])
def my_kendala(request: HttpRequest) -> HttpResponse:
    businesses = list(
        business_scope(user=request.user).exclude(status=BusinessStatus.MERGED).order_by("name")
    )
    if request.method == "POST":
        # not theirs (or unknown): 404, as everywhere else in the portal
        business = business_get_accessible(
            user=request.user, business_id=request.POST.get("business", "")
        )
        form = OwnerKendalaForm(request.POST, businesses=businesses)
        if form.is_valid():
            data = form.cleaned_data
            try:
                kendala = services.kendala_report(
                    actor=request.user,
                    channel=KendalaChannel.PORTAL,
                    business=business,
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    request=request,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Kendala Anda diterima dengan kode %(code)s. Tanggapan petugas tampil di halaman ini."
                    )
                    % {"code": kendala.tracking_code},
                )
                return redirect("kendala:my_kendala")
    else:
        form = OwnerKendalaForm(businesses=businesses)
    return render(
        request,
        "kendala/my_kendala.html",
        {
            "form": form,
            "businesses": businesses,
            "items": kendala_of_owner(user=request.user)[:100],
        },
    )
