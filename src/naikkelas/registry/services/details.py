"""Yearly figures, permits, market channels and membership of a business."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.core.audit import audit_log, diff, snapshot
from naikkelas.registry.classification import classify
from naikkelas.registry.models import (
    Business,
    ChannelKind,
    MarketChannel,
    Membership,
    MembershipStatus,
    Permit,
    PermitKind,
    YearlyFigure,
)

# Rp1 kuadriliun: far above any UMKM, far below the 64-bit column limit.
MAX_AMOUNT = 10**15
MAX_WORKERS = 1_000_000

FIGURE_FIELDS = ("omzet", "modal", "workers", "size_class", "size_class_basis", "rule_id")


def _refresh_business_class(business: Business) -> None:
    """Keep the business's current class equal to that of its latest classified year."""
    latest = (
        YearlyFigure.objects.filter(business=business)
        .exclude(size_class="")
        .order_by("-year")
        .first()
    )
    business.size_class = latest.size_class if latest else ""
    business.size_class_year = latest.year if latest else None
    business.save(update_fields=["size_class", "size_class_year", "updated_at"])


@transaction.atomic
def yearly_figure_set(
    *,
    actor: Any,
    business: Business,
    year: int,
    omzet: int | None,
    modal: int | None,
    workers: int | None,
) -> YearlyFigure:
    """Record (or correct) one year's omzet, modal and workers and classify the year.

    The class follows PP 7/2021 Pasal 35 (UU 20/2008 for years before 2021); see
    ``registry.classification``.

    Raises:
        ValidationError: negative amounts, an impossible year or no value at all.
    """
    errors: dict[str, str] = {}
    if not 1990 <= year <= 2100:
        errors["year"] = _("Tahun harus antara 1990 dan 2100.")
    limits = (
        ("omzet", omzet, MAX_AMOUNT),
        ("modal", modal, MAX_AMOUNT),
        ("workers", workers, MAX_WORKERS),
    )
    for name, value, limit in limits:
        if value is not None and value < 0:
            errors[name] = _("Nilai tidak boleh negatif.")
        elif value is not None and value > limit:
            errors[name] = _("Nilai terlalu besar; periksa jumlah digitnya.")
    if omzet is None and modal is None and workers is None:
        errors["omzet"] = _("Isi omzet, modal, atau jumlah tenaga kerja.")
    if errors:
        raise ValidationError(errors)
    business = Business.objects.select_for_update().get(pk=business.pk)
    figure = YearlyFigure.objects.filter(business=business, year=year).first()
    before = snapshot(figure, FIGURE_FIELDS) if figure else {}
    figure = figure or YearlyFigure(business=business, year=year)
    figure.omzet, figure.modal, figure.workers = omzet, modal, workers
    result = classify(year=year, omzet=omzet, modal=modal)
    figure.size_class = result.size_class.value if result else ""
    figure.size_class_basis = result.basis.value if result else ""
    figure.rule_id = result.rule.id if result else ""
    figure.save()
    _refresh_business_class(business)
    changes = diff(before, snapshot(figure, FIGURE_FIELDS))
    if changes:
        audit_log(
            actor=actor,
            action="business.figure_set",
            instance=business,
            changes=changes,
            extra={"year": year},
        )
    return figure


@transaction.atomic
def permit_add(
    *,
    actor: Any,
    business: Business,
    kind: PermitKind | str,
    number: str,
    issued_on: date | None = None,
    expires_on: date | None = None,
    detail: str = "",
) -> Permit:
    """Record a permit or certificate.

    Raises:
        ValidationError: unknown kind, empty number, expiry before issue, or a duplicate.
    """
    number = " ".join(number.split())
    errors: dict[str, str] = {}
    if kind not in PermitKind.values:
        errors["kind"] = _("Jenis izin tidak dikenal.")
    if not number:
        errors["number"] = _("Nomor izin/sertifikat wajib diisi.")
    if issued_on and expires_on and expires_on < issued_on:
        errors["expires_on"] = _("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit.")
    if not errors and Permit.objects.filter(business=business, kind=kind, number=number).exists():
        errors["number"] = _("Izin dengan nomor ini sudah tercatat untuk usaha ini.")
    if errors:
        raise ValidationError(errors)
    permit = Permit(
        business=business,
        kind=kind,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        detail=detail.strip(),
    )
    permit.full_clean(validate_constraints=False)
    permit.save()
    audit_log(
        actor=actor,
        action="business.permit_add",
        instance=business,
        extra={"kind": permit.kind, "number": permit.number, "permit": permit.pk},
    )
    return permit


@transaction.atomic
def permit_remove(*, actor: Any, permit: Permit) -> None:
    business = permit.business
    audit_log(
        actor=actor,
        action="business.permit_remove",
        instance=business,
        extra={"kind": permit.kind, "number": permit.number, "permit": permit.pk},
    )
    permit.delete()


@transaction.atomic
def channel_add(
    *,
    actor: Any,
    business: Business,
    kind: ChannelKind | str,
    name: str,
    url: str = "",
    since: date | None = None,
) -> MarketChannel:
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    if kind not in ChannelKind.values:
        errors["kind"] = _("Jenis saluran pasar tidak dikenal.")
    if not name:
        errors["name"] = _("Nama saluran wajib diisi, misalnya Indomaret atau Shopee.")
    if (
        not errors
        and MarketChannel.objects.filter(business=business, kind=kind, name=name).exists()
    ):
        errors["name"] = _("Saluran ini sudah tercatat untuk usaha ini.")
    if errors:
        raise ValidationError(errors)
    channel = MarketChannel(business=business, kind=kind, name=name, url=url.strip(), since=since)
    channel.full_clean()
    channel.save()
    audit_log(
        actor=actor,
        action="business.channel_add",
        instance=business,
        extra={"kind": channel.kind, "name": channel.name, "channel": channel.pk},
    )
    return channel


@transaction.atomic
def channel_remove(*, actor: Any, channel: MarketChannel) -> None:
    audit_log(
        actor=actor,
        action="business.channel_remove",
        instance=channel.business,
        extra={"kind": channel.kind, "name": channel.name, "channel": channel.pk},
    )
    channel.delete()


@transaction.atomic
def membership_set(
    *,
    actor: Any,
    business: Business,
    number: str,
    since: date | None,
    status: MembershipStatus | str = MembershipStatus.AKTIF,
) -> Membership:
    """Record or change the Hipmikindo membership of a business."""
    number = number.strip()
    if status not in MembershipStatus.values:
        raise ValidationError({"status": _("Status keanggotaan tidak dikenal.")})
    if number and Membership.objects.filter(number=number).exclude(business=business).exists():
        raise ValidationError({"number": _("Nomor anggota ini sudah dipakai usaha lain.")})
    membership = Membership.objects.filter(business=business).first()
    fields = ("number", "since", "status")
    before = snapshot(membership, fields) if membership else {}
    membership = membership or Membership(business=business)
    membership.number, membership.since, membership.status = number, since, status
    membership.full_clean(exclude=["business"], validate_constraints=False)
    membership.save()
    changes = diff(before, snapshot(membership, fields))
    if changes:
        audit_log(actor=actor, action="business.membership_set", instance=business, changes=changes)
    return membership
