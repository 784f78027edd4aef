"""Reporting a kendala: an owner from the portal, anyone from the public page, an officer on
someone's behalf, or many at once after a forum meeting (all or nothing, errors per row)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.core.audit import audit_log, mask_name
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.identifiers import mask_phone, parse_phone
from naikkelas.kendala.models import Kendala, KendalaCategory, KendalaChannel
from naikkelas.kendala.selectors import business_pick
from naikkelas.kendala.workflow import tracking_code_new
from naikkelas.regions.models import Region, RegionLevel
from naikkelas.registry.models import Business, Sector

DEFAULT_TARGET_DAYS = 14  # a first answer within two weeks; officers move the date
PUBLIC_RATE_LIMIT = 5  # public reports per client per hour
MAX_DESCRIPTION = 4000
TITLE_LENGTH = 100

NEEDS_BUSINESS = gettext_noop("Pilih usaha yang mengalami kendala.")
NEEDS_NAME = gettext_noop("Tuliskan nama pelapor (atau pilih usahanya).")
NEEDS_PHONE = gettext_noop("Tuliskan nomor HP/WhatsApp agar petugas dapat menghubungi Anda.")
NEEDS_CONSENT = gettext_noop("Persetujuan pencatatan nama dan nomor HP diperlukan.")
NEEDS_KELURAHAN = gettext_noop("Pilih kelurahan tempat usaha.")
NEEDS_DESCRIPTION = gettext_noop("Tuliskan kendalanya.")
TOO_LONG = gettext_noop("Uraian terlalu panjang (paling banyak %(n)s huruf).")
UNKNOWN_CATEGORY = gettext_noop("Pilih kategori kendala.")
UNKNOWN_KELURAHAN = gettext_noop("Kelurahan tidak dikenal.")
UNKNOWN_SECTOR = gettext_noop("Sektor tidak dikenal.")
UNKNOWN_CHANNEL = gettext_noop("Jalur laporan tidak dikenal.")
NEEDS_FORUM = gettext_noop("Tuliskan nama dan tanggal forum.")
NO_ROWS = gettext_noop("Isi minimal satu baris kendala.")


def title_from(description: str) -> str:
    """A list title from the description: its first line, at most ``TITLE_LENGTH`` letters."""
    first = " ".join(description.strip().splitlines()[0].split()) if description.strip() else ""
    if len(first) <= TITLE_LENGTH:
        return first
    return first[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _category(value: KendalaCategory | str) -> KendalaCategory:
    if isinstance(value, KendalaCategory):
        category = value if value.active else None
    else:
        category = KendalaCategory.objects.filter(code=str(value).strip(), active=True).first()
    if category is None:
        raise ApplicationError(_(UNKNOWN_CATEGORY), code="category")
    return category


def _kelurahan(code: str) -> Region:
    region = (
        Region.objects.filter(
            code=code.strip(),
            level=RegionLevel.DESA_KELURAHAN,
            code__startswith=settings.NAIKKELAS_AREA_CODE + ".",
        )
        .select_related("parent")
        .first()
    )
    if region is None:
        raise ApplicationError(_(UNKNOWN_KELURAHAN), code="kelurahan")
    return region


def _phone(raw: str) -> str:
    parsed = parse_phone(raw)
    if not parsed.ok or parsed.value is None:
        raise ApplicationError(parsed.errors[0].message, code="phone")
    return parsed.value


def _prepare(
    *,
    actor: Any,
    channel: str,
    category: KendalaCategory | str,
    description: str,
    title: str = "",
    business: Business | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_business_name: str = "",
    desa_kelurahan: str = "",
    sector: str = "",
    consent_text: str = "",
    client: str = "",
    forum_name: str = "",
    forum_date: date | None = None,
) -> Kendala:
    """The unsaved row, or ``ApplicationError`` with the first thing that is wrong."""
    if channel not in KendalaChannel.values:
        raise ApplicationError(_(UNKNOWN_CHANNEL), code="channel")
    description = description.strip()
    if not description:
        raise ApplicationError(_(NEEDS_DESCRIPTION), code="description")
    if len(description) > MAX_DESCRIPTION:
        raise ApplicationError(_(TOO_LONG) % {"n": MAX_DESCRIPTION}, code="description")
    kendala = Kendala(
        channel=channel,
        category=_category(category),
        title=(title.strip() or title_from(description))[:150],
        description=description,
        target_date=timezone.localdate() + timedelta(days=DEFAULT_TARGET_DAYS),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_hash=client,
    )
    if channel == KendalaChannel.FORUM:
        if not forum_name.strip() or forum_date is None:
            raise ApplicationError(_(NEEDS_FORUM), code="forum")
        kendala.forum_name, kendala.forum_date = forum_name.strip()[:150], forum_date
    if business is not None:
        # Who and where come from the register; a person's name/phone is not copied.
        kendala.business = business
        kendala.kecamatan_id = business.kecamatan_id
        kendala.desa_kelurahan_id = business.desa_kelurahan_id
        kendala.sector_id = business.sector_id
        return kendala
    if channel == KendalaChannel.PORTAL:
        raise ApplicationError(_(NEEDS_BUSINESS), code="business")
    kendala.reporter_name = " ".join(reporter_name.split())[:150]
    if not kendala.reporter_name:
        raise ApplicationError(_(NEEDS_NAME), code="reporter_name")
    kendala.reporter_business_name = " ".join(reporter_business_name.split())[:150]
    if channel == KendalaChannel.PUBLIK:
        if not reporter_phone.strip():
            raise ApplicationError(_(NEEDS_PHONE), code="phone")
        if not consent_text.strip():
            raise ApplicationError(_(NEEDS_CONSENT), code="consent")
        if not desa_kelurahan.strip():
            raise ApplicationError(_(NEEDS_KELURAHAN), code="kelurahan")
        kendala.consent_text = consent_text.strip()
    if reporter_phone.strip():
        kendala.reporter_phone = _phone(reporter_phone)
    if desa_kelurahan.strip():
        region = _kelurahan(desa_kelurahan)
        kendala.desa_kelurahan, kendala.kecamatan_id = region, region.parent_id
    if sector.strip():
        found = Sector.objects.filter(code=sector.strip()).first()
        if found is None:
            raise ApplicationError(_(UNKNOWN_SECTOR), code="sector")
        kendala.sector = found
    return kendala


def _insert(kendala: Kendala) -> Kendala:
    """Save a new row under a fresh tracking code (drawn again on the rare collision)."""
    for _attempt in range(5):
        kendala.tracking_code = tracking_code_new()
        try:
            with transaction.atomic():
                kendala.save(force_insert=True)
            return kendala
        except IntegrityError:
            if not Kendala.objects.filter(tracking_code=kendala.tracking_code).exists():
                raise
    raise RuntimeError("no free tracking code")  # pragma: no cover - 1 in 10^12 five times


def _audit_new(kendala: Kendala, *, actor: Any, request: Any) -> None:
    extra: dict[str, Any] = {
        "channel": kendala.channel,
        "category": kendala.category.code,
        "business": kendala.business_id,
    }
    if kendala.reporter_name:
        extra["reporter_name"] = mask_name(kendala.reporter_name)
    if kendala.reporter_phone:
        extra["reporter_phone"] = mask_phone(kendala.reporter_phone)
    if kendala.forum_name:
        extra["forum"] = kendala.forum_name
    audit_log(actor=actor, action="kendala.report", instance=kendala, extra=extra, request=request)


def kendala_report(
    *,
    actor: Any,
    channel: str,
    category: KendalaCategory | str,
    description: str,
    title: str = "",
    business: Business | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_business_name: str = "",
    desa_kelurahan: str = "",
    sector: str = "",
    consent_text: str = "",
    client: str = "",
    forum_name: str = "",
    forum_date: date | None = None,
    request: Any = None,
) -> Kendala:
    """Record one kendala and return it (with its tracking code).

    * ``portal``: an owner, for ``business`` (the caller has scoped it to the owner).
    * ``publik``: no account; ``reporter_name``, ``reporter_phone`` (normalised to E.164),
      ``desa_kelurahan`` and the ``consent_text`` agreed to are required; ``client`` is the
      keyed hash of the address for the rate limit (``kendala_public_allowed``).
    * ``petugas`` / ``forum``: an officer, for a business or for a named person.

    With a business, kecamatan, kelurahan and sector are the business's. The reporter's
    name and phone are masked in the audit log.

    Raises:
        ApplicationError: the first missing or invalid field (``code`` names it).
    """
    kendala = _prepare(
        actor=actor,
        channel=channel,
        category=category,
        description=description,
        title=title,
        business=business,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        reporter_business_name=reporter_business_name,
        desa_kelurahan=desa_kelurahan,
        sector=sector,
        consent_text=consent_text,
        client=client,
        forum_name=forum_name,
        forum_date=forum_date,
    )
    with transaction.atomic():
        _insert(kendala)
        _audit_new(kendala, actor=actor, request=request)
    return kendala


def kendala_public_allowed(client: str) -> bool:
    """Fewer than ``PUBLIC_RATE_LIMIT`` public reports from this client in the last hour."""
    since = timezone.now() - timedelta(hours=1)
    recent = Kendala.objects.filter(client_hash=client, created_at__gte=since)
    return recent.count() < PUBLIC_RATE_LIMIT


@dataclass(frozen=True)
class BulkRow:
    """One row of the forum table as typed; ``line`` is its number in the table."""

    line: int
    business_text: str = ""
    reporter_name: str = ""
    category: str = ""
    description: str = ""
    desa_kelurahan: str = ""


@dataclass
class BulkResult:
    created: list[Kendala] = field(default_factory=list)
    errors: dict[int, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def kendala_bulk_log(
    *,
    actor: Any,
    forum_name: str,
    forum_date: date | None,
    rows: Sequence[BulkRow],
    base: QuerySet[Business],
    request: Any = None,
) -> BulkResult:
    """Log the kendala heard at a forum meeting: every row, or none.

    Each row names a business of ``base`` (the officer's scope) by NIB, phone or name, or a
    person by name. When any row is wrong nothing is saved and ``errors`` maps each wrong
    row's ``line`` to its messages, so the page can show them next to what was typed.

    Raises:
        ApplicationError: no rows, or no forum name/date (nothing row-specific).
    """
    if not forum_name.strip() or forum_date is None:
        raise ApplicationError(_(NEEDS_FORUM), code="forum")
    if not rows:
        raise ApplicationError(_(NO_ROWS), code="empty")
    result = BulkResult()
    prepared: list[Kendala] = []
    for row in rows:
        business = None
        if row.business_text.strip():
            business, problem = business_pick(text=row.business_text, base=base)
            if business is None:
                result.errors.setdefault(row.line, []).append(problem)
                continue
        try:
            prepared.append(
                _prepare(
                    actor=actor,
                    channel=KendalaChannel.FORUM,
                    category=row.category,
                    description=row.description,
                    business=business,
                    reporter_name=row.reporter_name,
                    desa_kelurahan=row.desa_kelurahan,
                    forum_name=forum_name,
                    forum_date=forum_date,
                )
            )
        except ApplicationError as error:
            result.errors.setdefault(row.line, []).append(error.message)
    if result.errors:
        return result
    with transaction.atomic():
        for kendala in prepared:
            _insert(kendala)
            _audit_new(kendala, actor=actor, request=request)
        audit_log(
            actor=actor,
            action="kendala.forum_log",
            object_type="kendala.forum",
            object_id=f"{forum_date.isoformat()} {forum_name.strip()}"[:64],
            extra={"rows": len(prepared), "forum": forum_name.strip()},
            request=request,
        )
    result.created = prepared
    return result
