"""Guidance for one business on one date: what it needs, costs, owes, and what to do next (pure).

``evaluate`` reads only the rule versions it is given (the packaged TOML, or versions the app
stored in its database) and picks, per rule key, ``current(rules, key, on)``. Announced changes
never replace an in-force rule; those that touch the business come back separately, flagged.

Unknown answers never pretend: a fact that is ``None`` gives ``IN_PROGRESS`` ("perlu tindakan")
with "belum diketahui" wording, not a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from naikkelas.guidance.rulebase import RuleSpec, Text, announced, current
from naikkelas.guidance.tax import (
    TYPE_LABEL,
    TaxEstimate,
    TaxRegime,
    announced_note,
    estimate_tax,
    format_rupiah,
    is_individual,
    taxpayer_type,
)
from naikkelas.registry.classification import Classification, classify

SECTORS = frozenset({"kuliner", "fesyen", "kriya", "jasa", "perdagangan", "pertanian", "lainnya"})
FOOD_KINDS = frozenset({"kemasan_rendah", "kemasan_tinggi", "siap_saji", "awet_pendek"})
SMALL_CLASSES = frozenset({"mikro", "kecil"})

SPP_IRT = "SPP_IRT"
BPOM_MD = "BPOM_MD"
HALAL = "HALAL"

_MONTHS_ID = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()

SIZE_LABEL: Mapping[str, Text] = {
    "mikro": Text("mikro", "micro"),
    "kecil": Text("kecil", "small"),
    "menengah": Text("menengah", "medium"),
    "besar": Text("besar", "large"),
}


class FindingStatus(StrEnum):
    """Stored/compared by value; shown with :attr:`label` ("belum", "perlu tindakan", ...)."""

    MISSING = "missing"  # belum
    IN_PROGRESS = "in_progress"  # perlu tindakan (e.g. renew within 6 months, unknown answer)
    DONE = "done"  # sudah
    NOT_APPLICABLE = "not_applicable"  # tidak perlu

    @property
    def label(self) -> Text:
        return STATUS_TEXT[self]


STATUS_TEXT: Mapping[FindingStatus, Text] = {
    FindingStatus.MISSING: Text("belum", "not yet"),
    FindingStatus.IN_PROGRESS: Text("perlu tindakan", "action needed"),
    FindingStatus.DONE: Text("sudah", "done"),
    FindingStatus.NOT_APPLICABLE: Text("tidak perlu", "not needed"),
}
UNKNOWN_TEXT = Text("belum diketahui", "unknown")


@dataclass(frozen=True)
class BusinessFacts:
    """What the guidance looks at. ``None`` means "not known"."""

    sector: str  # kuliner, fesyen, kriya, jasa, perdagangan, pertanian, lainnya
    legal_form: str  # registry LegalForm value: PERORANGAN, UD, PT_PERORANGAN, CV, ...
    annual_omzet: int | None = None
    modal: int | None = None
    omzet_year: int | None = None
    has_nib: bool | None = None
    # held permit kinds -> expiry date (None = no expiry known); "SPP_IRT", "BPOM_MD", "HALAL"
    permits: Mapping[str, date | None] = field(default_factory=dict, hash=False)
    # None = not food/beverage; kemasan_rendah, kemasan_tinggi, siap_saji, awet_pendek
    food: str | None = None
    halal_simple_process: bool | None = None
    tax_first_year: int | None = None
    previous_year_omzet: int | None = None
    has_npwp: bool | None = None
    has_expiry_label: bool | None = None
    has_barcode: bool | None = None
    steady_supply: bool | None = None
    has_product_photos: bool | None = None
    has_payout_account: bool | None = None
    wants_retail: bool = True
    wants_online: bool = True

    def __post_init__(self) -> None:
        if self.food is not None and self.food not in FOOD_KINDS:
            raise ValueError(f"food must be one of {sorted(FOOD_KINDS)} or None: {self.food!r}")
        for name in ("annual_omzet", "modal", "previous_year_omzet"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} is never negative")
        object.__setattr__(self, "permits", MappingProxyType(dict(self.permits)))

    @property
    def is_food(self) -> bool:
        """Food or beverage business: a food kind is given, or the sector is kuliner."""
        return self.food is not None or self.sector == "kuliner"


@dataclass(frozen=True)
class ChecklistItem:
    code: str  # e.g. "label", "barcode"
    label: Text
    status: FindingStatus
    known: bool = True  # False: the answer is not known ("belum diketahui")
    action: Text | None = None

    @property
    def status_text(self) -> Text:
        if not self.known:
            return UNKNOWN_TEXT
        return self.status.label


@dataclass(frozen=True)
class Finding:
    rule_key: str
    rule_version: int
    topic: str
    status: FindingStatus
    title: Text
    why: Text  # the one-sentence reason for this business
    cost: Text
    where: Text
    steps: tuple[Text, ...]
    legal_basis: str
    sources: tuple[str, ...]
    rule_status: str  # in_force / announced / under_revision
    effective_from: date
    unverified: str
    deadline: date | None = None
    overdue: bool = False
    free: bool = False
    items: tuple[ChecklistItem, ...] = ()  # checklist findings (ritel, ecommerce)
    next_action: Text | None = None  # the short action for the roadmap


@dataclass(frozen=True)
class RoadmapStep:
    order: int  # 1, 2, ...
    rule_key: str  # the finding this step belongs to
    item: str  # checklist item code within the finding ("" = the whole finding)
    action: Text
    status: FindingStatus
    deadline: date | None
    overdue: bool
    free: bool


@dataclass(frozen=True)
class Guidance:
    on: date
    findings: tuple[Finding, ...]
    tax: TaxEstimate | None
    size_class: str | None  # mikro, kecil, menengah, besar; None when unknown
    size_basis: str | None  # omzet or modal
    roadmap: tuple[RoadmapStep, ...]
    rule_versions: tuple[tuple[str, int], ...]  # every rule version used, sorted
    announced: tuple[Finding, ...]  # announced (not enacted) changes touching this business

    def finding(self, key: str) -> Finding | None:
        for item in self.findings:
            if item.rule_key == key:
                return item
        return None


# --------------------------------------------------------------------------------------------
# small helpers


def tanggal(day: date) -> Text:
    """``18 Oktober 2026`` / ``18 October 2026``."""
    return Text(
        f"{day.day} {_MONTHS_ID[day.month - 1]} {day.year}",
        f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}",
    )


def minus_months(day: date, months: int) -> date:
    """The same day ``months`` earlier (the last day of the month when it does not exist)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _join(parts: Sequence[Text], sep: str = "; ") -> Text:
    return Text(sep.join(p.id for p in parts), sep.join(p.en for p in parts))


def _finding(
    rule: RuleSpec,
    status: FindingStatus,
    why: Text,
    *,
    deadline: date | None = None,
    overdue: bool = False,
    items: tuple[ChecklistItem, ...] = (),
    action: Text | None = None,
) -> Finding:
    return Finding(
        rule_key=rule.key,
        rule_version=rule.version,
        topic=rule.topic,
        status=status,
        title=rule.title,
        why=why,
        cost=rule.cost,
        where=rule.where,
        steps=rule.steps,
        legal_basis=rule.legal_basis,
        sources=rule.sources,
        rule_status=rule.status,
        effective_from=rule.effective_from,
        unverified=rule.unverified,
        deadline=deadline,
        overdue=overdue,
        free=rule.free,
        items=items,
        next_action=action
        if status in (FindingStatus.MISSING, FindingStatus.IN_PROGRESS)
        else None,
    )


def _permit_state(facts: BusinessFacts, kind: str, on: date) -> tuple[str, date | None]:
    """``none``, ``held`` (no expiry known), ``valid`` or ``expired`` — and the expiry date."""
    if kind not in facts.permits:
        return "none", None
    expiry = facts.permits[kind]
    if expiry is None:
        return "held", None
    return ("expired" if expiry < on else "valid"), expiry


def _business_noun(facts: BusinessFacts, size: str | None) -> Text:
    base = (
        Text("Usaha kuliner", "food businesses")
        if facts.sector == "kuliner"
        else Text("Usaha makanan/minuman", "food and beverage businesses")
    )
    if size is None:
        return base
    label = SIZE_LABEL[size]
    return Text(f"{base.id} {label.id}", f"{label.en.capitalize()} {base.en}")


# --------------------------------------------------------------------------------------------
# findings


def _nib(rule: RuleSpec, facts: BusinessFacts) -> Finding:
    if facts.has_nib is True:
        return _finding(rule, FindingStatus.DONE, Text("Anda sudah punya NIB.", "You have an NIB."))
    if facts.has_nib is False:
        return _finding(
            rule,
            FindingStatus.MISSING,
            Text(
                "Usaha Anda belum punya NIB; NIB gratis dan bagi usaha mikro dan kecil berisiko "
                "rendah sudah menjadi izin usahanya.",
                "Your business has no NIB yet; it is free and for low-risk micro and small "
                "businesses it is the business licence itself.",
            ),
            action=Text(
                "Daftar NIB gratis di OSS, atau minta dibantu Diskopukmperindag.",
                "Register for a free NIB at OSS, or ask Diskopukmperindag for help.",
            ),
        )
    return _finding(
        rule,
        FindingStatus.IN_PROGRESS,
        Text(
            "Belum diketahui apakah usaha Anda sudah punya NIB.",
            "It is unknown whether your business has an NIB.",
        ),
        action=Text(
            "Cek apakah usaha Anda sudah punya NIB (13 digit); jika belum, daftar gratis di OSS.",
            "Check whether your business has an NIB (13 digits); if not, register free at OSS.",
        ),
    )


def _food_unknown(rule: RuleSpec) -> Finding:
    return _finding(
        rule,
        FindingStatus.IN_PROGRESS,
        Text(
            "Jenis produk pangan Anda belum diketahui: pangan kemasan buatan rumah perlu SPP-IRT, "
            "pangan kemasan berisiko lebih tinggi perlu BPOM MD, makanan siap saji atau yang "
            "tahan kurang dari 7 hari tidak perlu izin edar.",
            "Your kind of food product is unknown: packaged home-made food needs an SPP-IRT, "
            "higher-risk packaged food needs BPOM MD, ready-to-eat food or food that keeps less "
            "than 7 days needs no marketing permit.",
        ),
        action=Text(
            "Pastikan jenis produk pangan Anda untuk tahu izin edar yang diperlukan.",
            "Settle what kind of food you sell to know which permit it needs.",
        ),
    )


def _spp_irt(rule: RuleSpec, facts: BusinessFacts, on: date) -> Finding:
    renew_months: int = rule.params["renew_months_before"]
    max_years: int = rule.params["max_valid_years"]
    state, expiry = _permit_state(facts, SPP_IRT, on)
    if state == "none":
        md_state, md_expiry = _permit_state(facts, BPOM_MD, on)
        if md_state == "valid" or md_state == "held":
            return _finding(
                rule,
                FindingStatus.DONE,
                Text(
                    "Produk Anda sudah punya izin edar BPOM MD; SPP-IRT tidak diperlukan.",
                    "Your product already has a BPOM MD authorisation; no SPP-IRT is needed.",
                ),
            )
        return _finding(
            rule,
            FindingStatus.MISSING,
            Text(
                "Pangan olahan kemasan buatan rumah perlu SPP-IRT sebelum dijual; nomor P-IRT "
                "dicetak di label.",
                "Packaged home-made processed food needs an SPP-IRT before it is sold; the P-IRT "
                "number goes on the label.",
            ),
            action=Text(
                "Ajukan SPP-IRT untuk produk pangan kemasan Anda.",
                "Apply for an SPP-IRT for your packaged food.",
            ),
        )
    if state == "held":
        return _finding(
            rule,
            FindingStatus.IN_PROGRESS,
            Text(
                f"Anda punya SPP-IRT, tetapi tanggal habis berlakunya belum diketahui; SPP-IRT "
                f"berlaku paling lama {max_years} tahun dan dua digit terakhir nomor P-IRT "
                "menunjukkan tahun habis berlakunya.",
                f"You hold an SPP-IRT but its expiry date is unknown; it is valid for at most "
                f"{max_years} years and the last two digits of the P-IRT number show the year it "
                "expires.",
            ),
            action=Text(
                "Cek tanggal habis berlaku SPP-IRT Anda (dua digit terakhir nomor P-IRT).",
                "Check when your SPP-IRT expires (last two digits of the P-IRT number).",
            ),
        )
    assert expiry is not None
    ends = tanggal(expiry)
    if state == "expired":
        return _finding(
            rule,
            FindingStatus.MISSING,
            Text(
                f"SPP-IRT Anda sudah habis berlaku pada {ends.id}; ajukan lagi sebelum menjual.",
                f"Your SPP-IRT expired on {ends.en}; apply again before selling.",
            ),
            deadline=expiry,
            overdue=True,
            action=Text(
                "SPP-IRT Anda sudah habis: ajukan lagi sekarang.",
                "Your SPP-IRT has expired: apply again now.",
            ),
        )
    renew_by = minus_months(expiry, renew_months)
    if on >= renew_by:
        return _finding(
            rule,
            FindingStatus.IN_PROGRESS,
            Text(
                f"Perpanjang: SPP-IRT Anda habis berlaku pada {ends.id}; perpanjangan diajukan "
                f"paling lambat {renew_months} bulan sebelumnya ({tanggal(renew_by).id}).",
                f"Renew: your SPP-IRT expires on {ends.en}; renewal is due at least "
                f"{renew_months} months before ({tanggal(renew_by).en}).",
            ),
            deadline=expiry,
            action=Text(
                f"Ajukan perpanjangan SPP-IRT sekarang (habis {ends.id}).",
                f"Apply to renew your SPP-IRT now (expires {ends.en}).",
            ),
        )
    return _finding(
        rule,
        FindingStatus.DONE,
        Text(
            f"SPP-IRT Anda berlaku sampai {ends.id}; ajukan perpanjangan paling lambat "
            f"{tanggal(renew_by).id}.",
            f"Your SPP-IRT is valid until {ends.en}; apply to renew by {tanggal(renew_by).en}.",
        ),
        deadline=renew_by,
    )


def _bpom_md(rule: RuleSpec, facts: BusinessFacts, on: date) -> Finding:
    state, expiry = _permit_state(facts, BPOM_MD, on)
    if state == "none":
        return _finding(
            rule,
            FindingStatus.MISSING,
            Text(
                "Pangan kemasan yang berisiko lebih tinggi perlu izin edar BPOM MD, bukan P-IRT.",
                "Higher-risk packaged food needs a BPOM MD authorisation, not a P-IRT.",
            ),
            action=Text(
                "Urus izin edar BPOM MD untuk produk Anda.",
                "Obtain a BPOM MD authorisation for your product.",
            ),
        )
    if state == "held":
        return _finding(
            rule,
            FindingStatus.IN_PROGRESS,
            Text(
                "Anda punya izin edar BPOM MD, tetapi tanggal habis berlakunya belum diketahui.",
                "You hold a BPOM MD authorisation but its expiry date is unknown.",
            ),
            action=Text(
                "Cek tanggal habis berlaku izin edar BPOM MD Anda.",
                "Check when your BPOM MD authorisation expires.",
            ),
        )
    assert expiry is not None
    ends = tanggal(expiry)
    if state == "expired":
        return _finding(
            rule,
            FindingStatus.MISSING,
            Text(
                f"Izin edar BPOM MD Anda sudah habis berlaku pada {ends.id}.",
                f"Your BPOM MD authorisation expired on {ends.en}.",
            ),
            deadline=expiry,
            overdue=True,
            action=Text(
                "Izin edar BPOM MD Anda sudah habis: daftarkan ulang sekarang.",
                "Your BPOM MD authorisation has expired: register again now.",
            ),
        )
    return _finding(
        rule,
        FindingStatus.DONE,
        Text(f"Izin edar BPOM MD Anda berlaku sampai {ends.id}.", f"Valid until {ends.en}."),
        deadline=expiry,
    )


def _no_permit_food(rule: RuleSpec, facts: BusinessFacts) -> Finding:
    days: int = rule.params["max_shelf_life_days"]
    if facts.food == "siap_saji":
        why = Text(
            "Makanan siap saji tidak perlu P-IRT atau BPOM MD.",
            "Ready-to-eat food needs neither a P-IRT nor BPOM MD.",
        )
    else:
        why = Text(
            f"Pangan yang masa simpannya kurang dari {days} hari tidak perlu P-IRT atau BPOM MD.",
            f"Food that keeps for less than {days} days needs neither a P-IRT nor BPOM MD.",
        )
    return _finding(rule, FindingStatus.NOT_APPLICABLE, why)


def _halal(
    wajib: RuleSpec, facts: BusinessFacts, size: str | None, on: date
) -> tuple[Finding, bool]:
    """The halal obligation; and whether a certificate is (still) needed."""
    state, expiry = _permit_state(facts, HALAL, on)
    if state in ("valid", "held"):
        why = (
            Text(
                f"Sertifikat halal Anda berlaku sampai {tanggal(expiry).id}.",
                f"Your halal certificate is valid until {tanggal(expiry).en}.",
            )
            if expiry
            else Text("Anda sudah punya sertifikat halal.", "You have a halal certificate.")
        )
        return _finding(wajib, FindingStatus.DONE, why), False

    small_deadline: date = wajib.params["deadline_mikro_kecil"]
    large_deadline: date = wajib.params["deadline_menengah_besar"]
    lapsed = (
        Text(
            f"Sertifikat halal Anda habis berlaku pada {tanggal(expiry).id}. ",
            f"Your halal certificate expired on {tanggal(expiry).en}. ",
        )
        if state == "expired" and expiry
        else Text("", "")
    )
    if size is None:
        why = Text(
            f"{lapsed.id}Kelas usaha belum diketahui: usaha mikro dan kecil wajib bersertifikat "
            f"halal mulai {tanggal(small_deadline).id}; usaha menengah dan besar sudah wajib "
            f"sejak {tanggal(large_deadline).id}.",
            f"{lapsed.en}Size class unknown: micro and small businesses must be halal-certified "
            f"from {tanggal(small_deadline).en}; medium and large ones since "
            f"{tanggal(large_deadline).en}.",
        )
        return _finding(wajib, FindingStatus.MISSING, why), True

    deadline = small_deadline if size in SMALL_CLASSES else large_deadline
    overdue = on >= deadline
    noun = _business_noun(facts, size)
    when_id = "sejak" if overdue else "mulai"
    when_en = "since" if overdue else "from"
    why = Text(
        f"{lapsed.id}{noun.id} wajib bersertifikat halal {when_id} {tanggal(deadline).id}.",
        f"{lapsed.en}{noun.en} must be halal-certified {when_en} {tanggal(deadline).en}.",
    )
    return _finding(wajib, FindingStatus.MISSING, why, deadline=deadline, overdue=overdue), True


def _halal_route(
    by_key: Callable[[str], RuleSpec | None],
    facts: BusinessFacts,
    size: str | None,
    obligation: Finding | None,
) -> Finding | None:
    """Self-declare (free) when eligible or possibly eligible, else the regular route."""
    self_declare = by_key("halal_self_declare")
    reguler = by_key("halal_reguler")
    deadline = obligation.deadline if obligation else None
    overdue = obligation.overdue if obligation else False

    blockers: list[Text] = []
    unknowns: list[Text] = []
    if self_declare is not None:
        max_turnover: int = self_declare.params["max_annual_turnover"]
        classes: tuple[str, ...] = self_declare.params["size_classes"]
        if size is None:
            unknowns.append(Text("kelas usaha", "size class"))
        elif size not in classes:
            blockers.append(
                Text(
                    f"usaha {SIZE_LABEL[size].id}, bukan mikro/kecil",
                    f"a {SIZE_LABEL[size].en} business, not micro/small",
                )
            )
        if facts.annual_omzet is None:
            unknowns.append(Text("omzet setahun", "yearly turnover"))
        elif facts.annual_omzet > max_turnover:
            blockers.append(
                Text(
                    f"omzet {format_rupiah(facts.annual_omzet)} di atas "
                    f"{format_rupiah(max_turnover)}",
                    f"turnover of {format_rupiah(facts.annual_omzet)} is above "
                    f"{format_rupiah(max_turnover)}",
                )
            )
        if facts.halal_simple_process is None:
            unknowns.append(
                Text("apakah proses produksi sederhana", "whether the process is simple")
            )
        elif facts.halal_simple_process is False:
            blockers.append(
                Text("proses produksi tidak sederhana", "the production process is not simple")
            )
        if facts.has_nib is None:
            unknowns.append(Text("NIB", "NIB"))

    if self_declare is None or blockers:
        if reguler is None:
            return None
        reason = (
            Text(
                f"Sertifikasi halal gratis tidak bisa karena {_join(blockers, ', ').id}; "
                "pakai jalur reguler.",
                f"Free halal certification is not possible because {_join(blockers, ', ').en}; "
                "use the regular route.",
            )
            if blockers
            else Text(
                "Sertifikasi halal lewat jalur reguler.", "Halal certification, regular route."
            )
        )
        days: int = reguler.params["working_days"]
        return _finding(
            reguler,
            FindingStatus.MISSING,
            reason,
            deadline=deadline,
            overdue=overdue,
            action=Text(
                f"Ajukan sertifikat halal jalur reguler di SIHALAL (sekitar {days} hari kerja).",
                f"Apply for a halal certificate, regular route, at SIHALAL (about {days} working "
                "days).",
            ),
        )

    no_nib = facts.has_nib is False
    nib_first = Text(" Urus NIB dulu (gratis).", " Get your NIB first (free).") if no_nib else None
    if unknowns:
        missing = _join(unknowns, ", ")
        why = Text(
            "Mungkin bisa gratis lewat SEHATI (self-declare), cek dengan pendamping P3H. "
            f"Belum diketahui: {missing.id}." + (nib_first.id if nib_first else ""),
            "You may qualify for the free SEHATI (self-declare) route; check with a P3H "
            f"assistant. Unknown: {missing.en}." + (nib_first.en if nib_first else ""),
        )
        return _finding(
            self_declare,
            FindingStatus.IN_PROGRESS,
            why,
            deadline=deadline,
            overdue=overdue,
            action=Text(
                "Tanyakan ke pendamping P3H apakah Anda bisa sertifikasi halal gratis (SEHATI).",
                "Ask a P3H assistant whether you qualify for free halal certification (SEHATI).",
            ),
        )
    assert size is not None and facts.annual_omzet is not None
    max_turnover = self_declare.params["max_annual_turnover"]
    facts_id = (
        f"usaha {SIZE_LABEL[size].id}, omzet {format_rupiah(facts.annual_omzet)} (paling banyak "
        f"{format_rupiah(max_turnover)}), proses produksi sederhana"
    )
    facts_en = (
        f"a {SIZE_LABEL[size].en} business, turnover of {format_rupiah(facts.annual_omzet)} (at "
        f"most {format_rupiah(max_turnover)}), a simple production process"
    )
    if no_nib:
        why = Text(
            f"Setelah punya NIB, Anda memenuhi syarat sertifikasi halal gratis (SEHATI): "
            f"{facts_id}. Urus NIB dulu (gratis).",
            f"Once you have an NIB you qualify for free halal certification (SEHATI): "
            f"{facts_en}. Get your NIB first (free).",
        )
    else:
        why = Text(
            f"Anda memenuhi syarat sertifikasi halal gratis (SEHATI): punya NIB, {facts_id}. "
            "Kuota terbatas, daftar segera.",
            f"You qualify for free halal certification (SEHATI): you have an NIB, {facts_en}. "
            "The quota is limited, apply soon.",
        )
    return _finding(
        self_declare,
        FindingStatus.MISSING,
        why,
        deadline=deadline,
        overdue=overdue,
        action=Text(
            "Daftar sertifikasi halal gratis (SEHATI) di SIHALAL bersama pendamping P3H.",
            "Apply for free halal certification (SEHATI) at SIHALAL with a P3H assistant.",
        ),
    )


def _tax_finding(rule: RuleSpec, estimate: TaxEstimate) -> Finding:
    if estimate.regime == TaxRegime.EXEMPT or (
        estimate.regime == TaxRegime.PPH_FINAL and estimate.tax == 0
    ):
        return _finding(rule, FindingStatus.NOT_APPLICABLE, estimate.summary)
    if estimate.regime == TaxRegime.PPH_FINAL:
        assert estimate.tax is not None
        action = Text(
            f"Sisihkan dan setor PPh final: perkiraan {format_rupiah(estimate.tax)} untuk tahun "
            f"{estimate.tax_year}; tanyakan cara setor dan lapor ke KPP.",
            f"Set aside and pay the final tax: about {format_rupiah(estimate.tax)} for "
            f"{estimate.tax_year}; ask the KPP how to pay and report.",
        )
    elif estimate.regime == TaxRegime.NORMAL:
        action = Text(
            "Hitung pajak dengan tarif umum bersama konsultan pajak atau KPP.",
            "Compute the tax at normal rates with a tax consultant or the KPP.",
        )
    elif estimate.taxpayer_type is None:
        action = Text(
            "Tanyakan ke KPP apakah PPh final 0,5% berlaku untuk bentuk usaha Anda.",
            "Ask the KPP whether the 0.5% final tax applies to your legal form.",
        )
    else:
        action = Text(
            "Catat omzet setahun agar pajak dan kelas usaha bisa dihitung.",
            "Record your yearly turnover so tax and size class can be worked out.",
        )
    return _finding(rule, FindingStatus.IN_PROGRESS, estimate.summary, action=action)


def _npwp(rule: RuleSpec, facts: BusinessFacts) -> Finding:
    if is_individual(facts.legal_form):
        full_use: date | None = rule.params.get("full_use_from")
        old_until: date | None = rule.params.get("old_npwp_usable_until")
        if full_use is not None:
            why = Text(
                f"NIK Anda adalah NPWP Anda (sejak {tanggal(full_use).id}).",
                f"Your NIK is your NPWP (since {tanggal(full_use).en}).",
            )
        elif old_until is not None:
            why = Text(
                "NIK Anda berlaku sebagai NPWP; NPWP 15 digit lama masih bisa dipakai sampai "
                f"{tanggal(old_until).id}.",
                "Your NIK serves as your NPWP; the old 15-digit NPWP can still be used until "
                f"{tanggal(old_until).en}.",
            )
        else:
            why = Text("NIK Anda adalah NPWP Anda.", "Your NIK is your NPWP.")
        return _finding(rule, FindingStatus.DONE, why)
    ttype = taxpayer_type(facts.legal_form)
    label = TYPE_LABEL[ttype] if ttype else Text("badan usaha", "business entity")
    digits: int = rule.params["npwp_digits"]
    if facts.has_npwp is True:
        return _finding(
            rule,
            FindingStatus.DONE,
            Text(f"{label.id} Anda sudah punya NPWP.", f"Your {label.en} has an NPWP."),
        )
    if facts.has_npwp is False:
        return _finding(
            rule,
            FindingStatus.MISSING,
            Text(
                f"Badan usaha ({label.id}) memakai NPWP {digits} digit sendiri, bukan NIK pemilik.",
                f"A business entity ({label.en}) uses its own {digits}-digit NPWP, not the "
                "owner's NIK.",
            ),
            action=Text(
                f"Daftarkan NPWP {digits} digit untuk badan usaha Anda di KPP.",
                f"Register a {digits}-digit NPWP for your business entity at the KPP.",
            ),
        )
    return _finding(
        rule,
        FindingStatus.IN_PROGRESS,
        Text(
            f"Belum diketahui apakah badan usaha ({label.id}) sudah punya NPWP {digits} digit.",
            f"It is unknown whether the business entity ({label.en}) has a {digits}-digit NPWP.",
        ),
        action=Text(
            f"Pastikan badan usaha Anda punya NPWP {digits} digit.",
            f"Make sure your business entity has a {digits}-digit NPWP.",
        ),
    )


def _kelas(rule: RuleSpec, facts: BusinessFacts, classification: Classification | None) -> Finding:
    if classification is None:
        return _finding(
            rule,
            FindingStatus.IN_PROGRESS,
            Text(
                "Kelas usaha belum diketahui: omzet setahun dan modal usaha belum dicatat.",
                "Size class unknown: yearly turnover and business capital are not recorded.",
            ),
            action=Text(
                "Catat omzet setahun dan modal usaha (tanpa tanah dan bangunan).",
                "Record yearly turnover and business capital (excluding land and buildings).",
            ),
        )
    size = classification.size_class.value
    label = SIZE_LABEL[size]
    basis = classification.basis.value
    amount = facts.annual_omzet if basis == "omzet" else facts.modal
    assert amount is not None
    basis_text = Text("omzet", "turnover") if basis == "omzet" else Text("modal", "capital")
    limit = rule.params.get(f"{basis}_{size}_max")
    limit_id = f" (batas {size}: paling banyak {format_rupiah(limit)})" if limit else ""
    limit_en = f" ({label.en} limit: at most {format_rupiah(limit)})" if limit else ""
    if size == "besar":
        limit_id = " (di atas batas usaha menengah: bukan UMKM)"
        limit_en = " (above the medium limit: not an MSME)"
    why = Text(
        f"Usaha Anda tergolong {label.id} menurut {basis_text.id} "
        f"{format_rupiah(amount)}{limit_id}.",
        f"Your business is {label.en} by {basis_text.en} of {format_rupiah(amount)}{limit_en}.",
    )
    if classification.criteria_disagree:
        other = classification.by_modal if basis == "omzet" else classification.by_omzet
        assert other is not None
        other_basis = Text("modal", "capital") if basis == "omzet" else Text("omzet", "turnover")
        why = Text(
            why.id + f" Menurut {other_basis.id}: {SIZE_LABEL[other.value].id}.",
            why.en + f" By {other_basis.en}: {SIZE_LABEL[other.value].en}.",
        )
    return _finding(rule, FindingStatus.DONE, why)


def _item_from_finding(code: str, label: Text, finding: Finding | None) -> ChecklistItem | None:
    if finding is None or finding.status == FindingStatus.NOT_APPLICABLE:
        return None
    return ChecklistItem(code, label, finding.status)


def _item_from_answer(code: str, label: Text, answer: bool | None, action: Text) -> ChecklistItem:
    if answer is True:
        return ChecklistItem(code, label, FindingStatus.DONE)
    if answer is False:
        return ChecklistItem(code, label, FindingStatus.MISSING, action=action)
    return ChecklistItem(code, label, FindingStatus.IN_PROGRESS, known=False, action=action)


def _checklist_status(items: Sequence[ChecklistItem]) -> FindingStatus:
    statuses = {item.status for item in items}
    if FindingStatus.MISSING in statuses:
        return FindingStatus.MISSING
    if FindingStatus.IN_PROGRESS in statuses:
        return FindingStatus.IN_PROGRESS
    return FindingStatus.DONE


def _checklist_why(heading: Text, items: Sequence[ChecklistItem]) -> Text:
    parts = [
        Text(f"{i.label.id}: {i.status_text.id}", f"{i.label.en}: {i.status_text.en}")
        for i in items
    ]
    body = _join(parts)
    return Text(f"{heading.id}: {body.id}.", f"{heading.en}: {body.en}.")


FOOD_PERMIT_LABEL = Text("Izin pangan (P-IRT/BPOM MD)", "Food permit (P-IRT/BPOM MD)")


def _retail(
    rule: RuleSpec,
    facts: BusinessFacts,
    nib: Finding | None,
    food_permit: Finding | None,
    halal: Finding | None,
    npwp: Finding | None,
) -> Finding:
    if not facts.wants_retail:
        return _finding(
            rule,
            FindingStatus.NOT_APPLICABLE,
            Text(
                "Anda tidak berencana masuk ritel modern.",
                "You do not plan to sell through modern retail.",
            ),
        )
    if facts.sector == "jasa" and not facts.is_food:
        return _finding(
            rule,
            FindingStatus.NOT_APPLICABLE,
            Text(
                "Usaha jasa tidak menjual produk lewat rak ritel modern.",
                "A service business does not sell products on retail shelves.",
            ),
        )
    prefix = rule.params["gs1_prefix"]
    candidates = [
        _item_from_finding("nib", Text("NIB", "NIB"), nib),
        _item_from_finding("izin_pangan", FOOD_PERMIT_LABEL, food_permit),
        _item_from_finding("halal", Text("Sertifikat halal", "Halal certificate"), halal),
        (
            _item_from_answer(
                "label",
                Text(
                    "Label dengan tanggal kedaluwarsa dan kode produksi",
                    "Label with expiry date and production code",
                ),
                facts.has_expiry_label,
                Text(
                    "Cantumkan tanggal kedaluwarsa dan kode produksi di label.",
                    "Put the expiry date and production code on the label.",
                )
                if facts.has_expiry_label is False
                else Text(
                    "Periksa apakah label sudah memuat tanggal kedaluwarsa dan kode produksi.",
                    "Check that the label shows the expiry date and production code.",
                ),
            )
            if facts.is_food
            else None
        ),
        _item_from_answer(
            "barcode",
            Text(f"Barcode GS1 ({prefix})", f"GS1 barcode ({prefix})"),
            facts.has_barcode,
            Text(
                f"Daftar barcode resmi GS1 Indonesia (awalan {prefix}).",
                f"Register an official GS1 Indonesia barcode (prefix {prefix}).",
            )
            if facts.has_barcode is False
            else Text(
                f"Periksa apakah produk sudah punya barcode resmi GS1 (awalan {prefix}).",
                f"Check whether the product has an official GS1 barcode (prefix {prefix}).",
            ),
        ),
        _item_from_finding("npwp", Text("NPWP", "NPWP"), npwp),
        _item_from_answer(
            "pasokan",
            Text("Pasokan stabil", "Steady supply"),
            facts.steady_supply,
            Text("Siapkan pasokan yang stabil.", "Make sure of a steady supply."),
        ),
    ]
    items = tuple(item for item in candidates if item is not None)
    status = _checklist_status(items)
    return _finding(
        rule,
        status,
        _checklist_why(
            Text(
                "Kesiapan ritel modern (syarat indikatif)", "Modern-retail readiness (indicative)"
            ),
            items,
        ),
        items=items,
        action=Text(
            "Lengkapi syarat, lalu tawarkan produk ke ritel modern lewat program "
            "Diskopukmperindag atau Hipmikindo.",
            "Complete the requirements, then offer your product to modern retail through "
            "Diskopukmperindag or Hipmikindo programmes.",
        ),
    )


def _ecommerce(
    rule: RuleSpec, facts: BusinessFacts, nib: Finding | None, food_permit: Finding | None
) -> Finding:
    if not facts.wants_online:
        return _finding(
            rule,
            FindingStatus.NOT_APPLICABLE,
            Text("Anda tidak berencana berjualan online.", "You do not plan to sell online."),
        )
    candidates = [
        _item_from_finding("nib", Text("NIB", "NIB"), nib),
        _item_from_finding("izin_pangan", FOOD_PERMIT_LABEL, food_permit),
        _item_from_answer(
            "foto",
            Text("Foto dan deskripsi produk", "Product photos and description"),
            facts.has_product_photos,
            Text("Siapkan foto dan deskripsi produk.", "Prepare product photos and descriptions."),
        ),
        _item_from_answer(
            "rekening",
            Text("Rekening pencairan", "Payout account"),
            facts.has_payout_account,
            Text("Siapkan rekening pencairan.", "Set up a payout account."),
        ),
    ]
    items = tuple(item for item in candidates if item is not None)
    status = _checklist_status(items)
    own = [i for i in items if i.code in ("foto", "rekening") and i.status != FindingStatus.DONE]
    if own:
        action = Text(
            "Siapkan "
            + " serta ".join(i.label.id.lower() for i in own)
            + ", lalu buka toko online.",
            "Prepare "
            + " and ".join(i.label.en.lower() for i in own)
            + ", then open your online shop.",
        )
    else:
        action = Text(
            "Lengkapi syarat lalu buka toko online.",
            "Complete the requirements, then open your online shop.",
        )
    return _finding(
        rule,
        status,
        _checklist_why(
            Text(
                "Kesiapan jualan online (praktik baik)", "Online-selling readiness (good practice)"
            ),
            items,
        ),
        items=items,
        action=action,
    )


def _announced_finding(
    rule: RuleSpec, facts: BusinessFacts, tax: TaxEstimate | None
) -> Finding | None:
    """An announced change that touches this business, flagged; None when it does not."""
    if rule.key == "pph_final_perubahan":
        ttype = taxpayer_type(facts.legal_form)
        types = set(rule.params.get("extended_types", ())) | set(
            rule.params.get("no_extension_types", ())
        )
        if ttype is None or ttype not in types:
            return None
        note = announced_note(
            rule,
            ttype,
            tax.tax_year if tax else rule.effective_from.year,
            tax.last_final_year if tax else None,
        )
        why = note or Text(rule.summary.id, rule.summary.en)
        return _finding(rule, FindingStatus.IN_PROGRESS, why)
    if rule.topic in ("halal", "pangan") and not facts.is_food:
        return None
    return _finding(
        rule,
        FindingStatus.IN_PROGRESS,
        Text(
            f"DIUMUMKAN, BELUM BERLAKU: {rule.summary.id}",
            f"ANNOUNCED, NOT IN FORCE: {rule.summary.en}",
        ),
    )


# --------------------------------------------------------------------------------------------
# the roadmap

_RANK = {
    "nib": 0,
    "spp_irt": 1,
    "bpom_md": 1,
    "halal_self_declare": 2,
    "halal_reguler": 2,
    "halal_wajib": 2,
    "npwp_nik": 3,
    "pph_final": 4,
    "ritel_modern:label": 5,
    "ritel_modern:barcode": 6,
    "ritel_modern": 7,
    "ecommerce": 8,
}
_OPEN = (FindingStatus.MISSING, FindingStatus.IN_PROGRESS)


def _roadmap(findings: Sequence[Finding]) -> tuple[RoadmapStep, ...]:
    """Ordered next steps: NIB first (everything builds on it); then overdue steps; then the
    naik-kelas order: food permit, halal, NPWP, tax, label, barcode, retail, online."""
    by_key = {f.rule_key: f for f in findings}
    drafts: list[tuple[str, str, Text, FindingStatus, date | None, bool, bool]] = []

    def add(finding: Finding, item: str = "") -> None:
        if finding.status in _OPEN and finding.next_action is not None:
            drafts.append(
                (
                    finding.rule_key,
                    item,
                    finding.next_action,
                    finding.status,
                    finding.deadline,
                    finding.overdue,
                    finding.free,
                )
            )

    for key in ("nib", "spp_irt", "bpom_md", "npwp_nik", "pph_final"):
        if key in by_key:
            add(by_key[key])
    route = by_key.get("halal_self_declare") or by_key.get("halal_reguler")
    if route is not None:
        add(route)
    elif "halal_wajib" in by_key:
        add(by_key["halal_wajib"])
    retail = by_key.get("ritel_modern")
    if retail is not None and retail.status in _OPEN:
        for item in retail.items:
            if item.code in ("label", "barcode") and item.status in _OPEN and item.action:
                drafts.append(
                    ("ritel_modern", item.code, item.action, item.status, None, False, False)
                )
        add(retail)
    if "ecommerce" in by_key:
        add(by_key["ecommerce"])

    def rank(
        draft: tuple[str, str, Text, FindingStatus, date | None, bool, bool],
    ) -> tuple[bool, bool, int]:
        key, item, _action, _status, _deadline, overdue, _free = draft
        position = _RANK.get(f"{key}:{item}" if item else key, 99)
        return (key != "nib", not overdue, position)

    ordered = sorted(drafts, key=rank)
    return tuple(
        RoadmapStep(
            order=index,
            rule_key=key,
            item=item,
            action=action,
            status=status,
            deadline=deadline,
            overdue=overdue,
            free=free,
        )
        for index, (key, item, action, status, deadline, overdue, free) in enumerate(
            ordered, start=1
        )
    )


# --------------------------------------------------------------------------------------------
# evaluate


def evaluate(
    facts: BusinessFacts,
    rules: Sequence[RuleSpec],
    *,
    on: date,
    tax_year: int | None = None,
) -> Guidance:
    """Guidance for ``facts`` on ``on`` with the rule versions in ``rules``.

    A rule key with no version in force on ``on`` gives no finding. ``tax_year`` defaults to
    the year of the turnover figure, else the year of ``on``.
    """
    rules = tuple(rules)

    def by_key(key: str) -> RuleSpec | None:
        return current(rules, key, on)

    year = facts.omzet_year or on.year
    try:
        classification = classify(year=year, omzet=facts.annual_omzet, modal=facts.modal)
    except ValueError:  # a year no size-class rule covers
        classification = None
    size = classification.size_class.value if classification else None

    findings: list[Finding] = []

    nib_rule = by_key("nib")
    nib = _nib(nib_rule, facts) if nib_rule else None
    if nib:
        findings.append(nib)

    food_permit: Finding | None = None
    if facts.is_food:
        if facts.food is None:
            rule = by_key("spp_irt")
            food_permit = _food_unknown(rule) if rule else None
        elif facts.food == "kemasan_rendah":
            rule = by_key("spp_irt")
            food_permit = _spp_irt(rule, facts, on) if rule else None
        elif facts.food == "kemasan_tinggi":
            rule = by_key("bpom_md")
            food_permit = _bpom_md(rule, facts, on) if rule else None
        else:
            rule = by_key("pangan_tanpa_izin_edar")
            food_permit = _no_permit_food(rule, facts) if rule else None
    if food_permit:
        findings.append(food_permit)

    halal: Finding | None = None
    if facts.is_food:
        wajib = by_key("halal_wajib")
        needed = True
        if wajib is not None:
            halal, needed = _halal(wajib, facts, size, on)
            findings.append(halal)
        if needed:
            route = _halal_route(by_key, facts, size, halal)
            if route:
                findings.append(route)

    tax: TaxEstimate | None = None
    pph_rule = by_key("pph_final")
    announced_rules = announced(rules, on)
    if pph_rule is not None:
        change = next((r for r in announced_rules if r.key == "pph_final_perubahan"), None)
        tax = estimate_tax(
            omzet=facts.annual_omzet,
            legal_form=facts.legal_form,
            tax_year=tax_year or facts.omzet_year or on.year,
            first_year=facts.tax_first_year,
            previous_year_omzet=facts.previous_year_omzet,
            rule=pph_rule,
            announced=change,
        )
        findings.append(_tax_finding(pph_rule, tax))

    npwp_rule = by_key("npwp_nik")
    npwp = _npwp(npwp_rule, facts) if npwp_rule else None
    if npwp:
        findings.append(npwp)

    kelas_rule = by_key("kelas_usaha")
    if kelas_rule:
        findings.append(_kelas(kelas_rule, facts, classification))

    retail_rule = by_key("ritel_modern")
    if retail_rule:
        findings.append(_retail(retail_rule, facts, nib, food_permit, halal, npwp))
    online_rule = by_key("ecommerce")
    if online_rule:
        findings.append(_ecommerce(online_rule, facts, nib, food_permit))

    announced_findings = tuple(
        finding
        for finding in (_announced_finding(rule, facts, tax) for rule in announced_rules)
        if finding is not None
    )

    used = {(f.rule_key, f.rule_version) for f in (*findings, *announced_findings)}
    if tax is not None:
        used.add((tax.rule_key, tax.rule_version))

    return Guidance(
        on=on,
        findings=tuple(findings),
        tax=tax,
        size_class=size,
        size_basis=classification.basis.value if classification else None,
        roadmap=_roadmap(findings),
        rule_versions=tuple(sorted(used)),
        announced=announced_findings,
    )
