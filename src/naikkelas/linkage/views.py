"""Review queue of likely duplicates, decisions, merge history and unmerge (thin views).

Every view needs ``LINKAGE_REVIEW`` (admin, dinas). Pairs and merges are reached only through
the register's scope (``registry.access``): a pair or a merge with a record outside it is a
404, like a record that does not exist. Personal identifiers are shown masked; the full NIK
and phone only through the audited reveal page of ``privacy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from naikkelas.accounts.permissions import Capability, has_capability, requires
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.identifiers import mask_nik, mask_phone
from naikkelas.linkage.forms import DecisionForm, QueueFilterForm, UnmergeForm
from naikkelas.linkage.labels import terms_for_display
from naikkelas.linkage.models import (
    CandidateStatus,
    Decision,
    MatchCandidate,
    MatchLevel,
    MergeRecord,
)
from naikkelas.linkage.selectors import (
    match_candidate_get_accessible,
    match_candidate_pending_list,
    match_candidate_scope,
)
from naikkelas.linkage.services import (
    business_unmerge,
    match_candidate_decide,
    owner_unmerge,
)
from naikkelas.registry.access import business_scope, owner_scope
from naikkelas.registry.models import Business, BusinessOwner, Owner, OwnerRole

PAGE_SIZE = 50


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def _pair_url(candidate: MatchCandidate, query: str) -> str:
    return _with_query(reverse("linkage:pair", kwargs={"candidate_id": candidate.pk}), query)


def _queue_url(query: str) -> str:
    return _with_query(reverse("linkage:queue"), query)


# --------------------------------------------------------------------------------------------
# 1. The queue
# --------------------------------------------------------------------------------------------


@require_GET
@requires(Capability.LINKAGE_REVIEW)
def queue(request: HttpRequest) -> HttpResponse:
    """Pending pairs within the user's scope, most likely duplicates first."""
    form = QueueFilterForm(request.GET)
    scope = match_candidate_scope(user=request.user)
    pending = match_candidate_pending_list(base=scope, filters=form.filters())
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    # Counts per level under the other filters: the tabs of the queue.
    by_level = {
        row["level"]: row["n"]
        for row in match_candidate_pending_list(base=scope, filters=form.filters(level=""))
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
    }
    values = form.values()
    query = form.query()
    level_tabs = [
        {
            "value": value,
            "label": label,
            "count": sum(by_level.values()) if not value else by_level.get(value, 0),
            "active": values.get("level", "") == value,
            "query": urlencode({k: v for k, v in {**values, "level": value}.items() if v}),
        }
        for value, label in [("", _("Semua")), *MatchLevel.choices]
    ]
    return render(
        request,
        "linkage/queue.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "level_tabs": level_tabs,
            "filtered": bool(values),
        },
    )


# --------------------------------------------------------------------------------------------
# 2. One pair: side by side, the evidence, the decision
# --------------------------------------------------------------------------------------------


def _after(candidate: MatchCandidate) -> Q:
    """Pairs after this one in the queue's order (probability desc, nulls last; created; id).

    Keyset conditions, so "next" costs one indexed query however long the queue is.
    """
    p, created, pk = candidate.match_probability, candidate.created_at, candidate.pk
    tie = Q(created_at__gt=created) | Q(created_at=created, id__gt=pk)
    if p is None:
        return Q(match_probability__isnull=True) & tie
    return (
        Q(match_probability__lt=p)
        | Q(match_probability__isnull=True)
        | (Q(match_probability=p) & tie)
    )


def _before(candidate: MatchCandidate) -> Q:
    p, created, pk = candidate.match_probability, candidate.created_at, candidate.pk
    tie = Q(created_at__lt=created) | Q(created_at=created, id__lt=pk)
    if p is None:
        return Q(match_probability__isnull=False) | (Q(match_probability__isnull=True) & tie)
    return Q(match_probability__gt=p) | (Q(match_probability=p) & tie)


def _next_pending(queue: QuerySet[MatchCandidate], candidate: MatchCandidate) -> Any:
    return queue.filter(_after(candidate)).first()


def _previous_pending(queue: QuerySet[MatchCandidate], candidate: MatchCandidate) -> Any:
    return queue.filter(_before(candidate)).reverse().first()


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side table: ``same`` is None when there is nothing to compare."""

    label: str
    left: str
    right: str
    same: bool | None


def _key(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def _row(label: str, left: Any, right: Any, *, shown: Any = None, compare: bool = True) -> Row:
    """A row comparing ``left``/``right``; ``shown`` formats each value (e.g. masks it)."""
    show = shown or (lambda v: str(v) if v not in (None, "") else "—")
    same = None
    if compare and (_key(left) or _key(right)):
        same = _key(left) == _key(right)
    return Row(label=label, left=show(left), right=show(right), same=same)


def _masked_nik(value: Any) -> str:
    return mask_nik(value) if value else "—"


def _masked_phone(value: Any) -> str:
    return mask_phone(value) if value else "—"


def _date(value: Any) -> str:
    return date_format(timezone.localtime(value), "j M Y") if value else "—"


def _main_owner(business: Business) -> Owner | None:
    links = list(business.ownerships.all())  # prefetched with the owners
    main = next((link for link in links if link.role == OwnerRole.PEMILIK), None)
    return main.owner if main else None


def _place(business: Business) -> str:
    kelurahan = business.desa_kelurahan.name if business.desa_kelurahan_id else ""
    kecamatan = business.kecamatan.name if business.kecamatan_id else ""
    if kecamatan:
        kecamatan = _("Kec. %(name)s") % {"name": kecamatan}
    return ", ".join(x for x in (kelurahan, kecamatan) if x)


def _business_rows(left: Business, right: Business) -> list[Row]:
    lo, ro = _main_owner(left), _main_owner(right)
    return [
        _row(_("Nama usaha"), left.name, right.name),
        _row(
            _("Sektor"),
            _(left.sector.name) if left.sector_id else "",
            _(right.sector.name) if right.sector_id else "",
        ),
        Row(
            _("Wilayah"),
            _place(left),
            _place(right),
            left.desa_kelurahan_id == right.desa_kelurahan_id,
        ),
        _row(_("Alamat"), left.address, right.address),
        _row(_("Telepon usaha"), left.phone, right.phone, shown=_masked_phone),
        _row(_("NIB"), left.nib, right.nib),
        _row(
            _("Pemilik utama"),
            lo.full_name if lo else "",
            ro.full_name if ro else "",
        ),
        _row(_("NIK pemilik"), lo.nik if lo else "", ro.nik if ro else "", shown=_masked_nik),
        _row(
            _("HP pemilik"),
            lo.phone if lo else "",
            ro.phone if ro else "",
            shown=_masked_phone,
        ),
        _row(_("Status"), left.get_status_display(), right.get_status_display(), compare=False),
        _row(
            _("Sumber data"),
            _source(left),
            _source(right),
            compare=False,
        ),
        _row(_("Dicatat"), _date(left.created_at), _date(right.created_at), compare=False),
    ]


def _source(record: Business | Owner) -> str:
    text = str(record.get_source_display())
    ref = getattr(record, "source_ref", "")
    return f"{text} · {ref}" if ref else text


def _owner_businesses(owner: Owner) -> str:
    names = [
        f"{link.business.name} ({link.business.desa_kelurahan.name})"
        for link in owner.ownerships.all()
    ]
    return "; ".join(names)


def _owner_rows(left: Owner, right: Owner) -> list[Row]:
    return [
        _row(_("Nama lengkap"), left.full_name, right.full_name),
        _row(_("NIK"), left.nik, right.nik, shown=_masked_nik),
        _row(_("Nomor HP"), left.phone, right.phone, shown=_masked_phone),
        _row(_("Jenis kelamin"), left.get_sex_display(), right.get_sex_display()),
        _row(_("Usaha"), _owner_businesses(left), _owner_businesses(right), compare=False),
        _row(_("Sumber data"), _source(left), _source(right), compare=False),
        _row(_("Dicatat"), _date(left.created_at), _date(right.created_at), compare=False),
    ]


def _business_side(business: Business) -> dict[str, Any]:
    owner = _main_owner(business)
    return {
        "title": business.name,
        "url": business.get_absolute_url(),
        "reveal": (business.pk, owner.pk) if owner else None,
        "merged": business.merged_into_id is not None,
    }


def _owner_side(owner: Owner) -> dict[str, Any]:
    link = next(iter(owner.ownerships.all()), None)
    return {
        "title": owner.full_name,
        "url": link.business.get_absolute_url() if link else "",
        # The reveal page shows a person through one of their businesses (audited there).
        "reveal": (link.business_id, owner.pk) if link else None,
        "merged": owner.merged_into_id is not None,
    }


def _records(candidate: MatchCandidate, user: Any) -> tuple[list[dict[str, Any]], list[Row]]:
    """Both records of the pair, loaded with what the table shows (a fixed number of queries)."""
    if candidate.level == MatchLevel.BUSINESS:
        ids = [candidate.left_business_id, candidate.right_business_id]
        found: dict[Any, Business] = {
            b.pk: b
            for b in business_scope(user=user)
            .filter(pk__in=ids)
            .select_related("sector", "kecamatan", "desa_kelurahan")
            .prefetch_related("ownerships__owner")
        }
        left, right = (found.get(pk) for pk in ids)
        if left is None or right is None:
            raise Http404
        return [_business_side(left), _business_side(right)], _business_rows(left, right)
    ids = [candidate.left_owner_id, candidate.right_owner_id]
    owners: dict[Any, Owner] = {
        o.pk: o
        for o in owner_scope(user=user)
        .filter(pk__in=ids)
        .prefetch_related(
            # Only the businesses the user may see: listed, and the way to the reveal page.
            Prefetch(
                "ownerships",
                queryset=BusinessOwner.objects.filter(business__in=business_scope(user=user))
                .select_related("business__desa_kelurahan")
                .order_by("role", "created_at"),
            )
        )
    }
    left_owner, right_owner = (owners.get(pk) for pk in ids)
    if left_owner is None or right_owner is None:
        raise Http404
    return [_owner_side(left_owner), _owner_side(right_owner)], _owner_rows(left_owner, right_owner)


def _bars(terms: list[dict[str, Any]], scale: float) -> list[dict[str, Any]]:
    """Each term with a bar: 0..100 units from the middle of a 200-unit wide SVG."""
    for term in terms:
        width = round(min(abs(term["weight"]) / scale, 1.0) * 100)
        term["bar_width"] = width
        term["bar_x"] = 100 if term["weight"] >= 0 else 100 - width
        term["tone"] = "agree" if term["weight"] > 0 else "disagree" if term["weight"] else "none"
    return terms


def _percent(value: Any) -> float | None:
    return round(float(value) * 100, 1) if isinstance(value, int | float) else None


def _evidence(candidate: MatchCandidate) -> dict[str, Any]:
    """The stored explanation, labelled, with bars on one scale for both models."""
    explanation = candidate.explanation or {}
    business = terms_for_display(explanation, "business")
    owner = terms_for_display(explanation, "owner")
    # The business comparisons' evidence for "same owner, another business" (ADR 0010).
    related = terms_for_display({"related": {"terms": explanation.get("related") or []}}, "related")
    weights = [abs(t["weight"]) for t in (*business, *owner, *related)]
    scale = max([*weights, 1.0])
    probability = {
        "business": _percent(explanation.get("business_probability")),
        "owner": _percent(explanation.get("owner_probability")),
    }
    # Older or manual items: only the pair's own probability.
    fallback = "business" if candidate.level == MatchLevel.BUSINESS else "owner"
    if probability[fallback] is None:
        probability[fallback] = _percent(candidate.match_probability)

    def prior(model: str) -> float | None:
        value = (explanation.get(model) or {}).get("prior_weight")
        return float(value) if isinstance(value, int | float) else None

    return {
        "has_terms": bool(business or owner),
        "business": _bars(business, scale),
        "owner": _bars(owner, scale),
        "related": _bars(related, scale),
        "business_prior": prior("business"),
        "owner_prior": prior("owner"),
        "probability": probability,
    }


@require_GET
@requires(Capability.LINKAGE_REVIEW)
def pair(request: HttpRequest, candidate_id: Any) -> HttpResponse:
    """One pair side by side, why the engine proposed it, and the three decisions."""
    candidate = match_candidate_get_accessible(user=request.user, candidate_id=candidate_id)
    form = QueueFilterForm(request.GET)
    query = form.query()
    queue = match_candidate_pending_list(
        base=match_candidate_scope(user=request.user), filters=form.filters()
    )
    sides, rows = _records(candidate, request.user)
    next_item = _next_pending(queue, candidate)
    previous_item = _previous_pending(queue, candidate)
    pending = candidate.status == CandidateStatus.PENDING
    return render(
        request,
        "linkage/pair.html",
        {
            "candidate": candidate,
            "pending": pending,
            "business_level": candidate.level == MatchLevel.BUSINESS,
            "sides": sides,
            "rows": rows,
            "evidence": _evidence(candidate),
            "form": DecisionForm(),
            "query": query,
            "queue_url": _queue_url(query),
            "decide_url": _with_query(
                reverse("linkage:decide", kwargs={"candidate_id": candidate.pk}), query
            ),
            "next_url": _pair_url(next_item, query) if next_item else "",
            "previous_url": _pair_url(previous_item, query) if previous_item else "",
            "can_reveal": has_capability(request.user, Capability.PERSON_REVEAL),
        },
    )


def _decided_message(candidate: MatchCandidate, decision: Decision, merged: bool) -> str:
    if decision == Decision.DIFFERENT:
        return _("Dicatat: kedua data berbeda. Pasangan ini tidak akan diusulkan lagi.")
    if decision == Decision.SAME_BUSINESS:
        return _("Kedua usaha digabung menjadi satu. Penggabungan dapat dipisah kembali.")
    if not merged:
        return _("Dicatat: pemilik yang sama (sudah satu data pemilik); usaha tetap terpisah.")
    if candidate.level == MatchLevel.OWNER:
        return _("Kedua data pemilik digabung menjadi satu.")
    return _("Kedua data pemilik digabung; kedua usaha tetap terpisah.")


@require_POST
@requires(Capability.LINKAGE_REVIEW)
def decide(request: HttpRequest, candidate_id: Any) -> HttpResponse:
    """Record a decision, then go on to the next pending pair of the same filtered queue."""
    candidate = match_candidate_get_accessible(user=request.user, candidate_id=candidate_id)
    filter_form = QueueFilterForm(request.GET)
    query = filter_form.query()
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_pair_url(candidate, query))
    decision = Decision(form.cleaned_data["decision"])
    try:
        merge = match_candidate_decide(
            actor=request.user,
            candidate=candidate,
            decision=decision,
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(_pair_url(candidate, query))
    messages.success(request, _decided_message(candidate, decision, merge is not None))
    queue = match_candidate_pending_list(
        base=match_candidate_scope(user=request.user), filters=filter_form.filters()
    )
    # The next pair after this one; at the end, back to the top (pairs skipped earlier).
    following = _next_pending(queue, candidate) or queue.first()
    if following is None:
        messages.info(request, _("Tidak ada lagi pasangan yang menunggu keputusan di antrean ini."))
        return redirect(_queue_url(query))
    return redirect(_pair_url(following, query))


# --------------------------------------------------------------------------------------------
# 3. Merge history and unmerge
# --------------------------------------------------------------------------------------------


def _merge_scope(user: Any) -> QuerySet[MergeRecord]:
    """Merges whose two records the user may both see (like ``match_candidate_scope``)."""
    businesses = business_scope(user=user).values("pk")
    owners = owner_scope(user=user).values("pk")
    return MergeRecord.objects.filter(
        Q(
            level=MatchLevel.BUSINESS,
            survivor_business__in=businesses,
            merged_business__in=businesses,
        )
        | Q(level=MatchLevel.OWNER, survivor_owner__in=owners, merged_owner__in=owners)
    )


@require_GET
@requires(Capability.LINKAGE_REVIEW)
def merge_list(request: HttpRequest) -> HttpResponse:
    """Recent merges, newest first, each with its unmerge."""
    merges = (
        _merge_scope(request.user)
        .select_related(
            "survivor_business",
            "merged_business",
            "survivor_owner",
            "merged_owner",
            "merged_by",
            "unmerged_by",
            "candidate",
        )
        .order_by("-merged_at", "-id")
    )
    page = Paginator(merges, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "linkage/merge_list.html",
        {"page": page, "unmerge_form": UnmergeForm(), "next": request.get_full_path()},
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("linkage:merge_list")


@require_POST
@requires(Capability.LINKAGE_REVIEW)
def unmerge(request: HttpRequest, merge_id: Any) -> HttpResponse:
    """Undo one merge (confirmed with a checkbox); the services refuse what cannot be undone."""
    merge = _merge_scope(request.user).filter(pk=merge_id).first()
    if merge is None:
        raise Http404
    form = UnmergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Centang kotak konfirmasi untuk memisahkan data."))
        return redirect(_safe_next(request))
    undo = business_unmerge if merge.level == MatchLevel.BUSINESS else owner_unmerge
    try:
        undo(actor=request.user, merge=merge)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Data dipisah kembali seperti sebelum digabung. Pasangan ini dicatat berbeda "
                "dan tidak akan diusulkan lagi."
            ),
        )
    return redirect(_safe_next(request))


urlpatterns: list[URLPattern] = [
    path("", queue, name="queue"),
    path("gabungan/", merge_list, name="merge_list"),
    path("gabungan/<uuid:merge_id>/pisahkan/", unmerge, name="unmerge"),
    path("<uuid:candidate_id>/", pair, name="pair"),
    path("<uuid:candidate_id>/putuskan/", decide, name="decide"),
]
