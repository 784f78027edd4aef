"""The online duplicate check: likely duplicates of a business being typed (thin views).

The new-business form posts what the officer has typed so far (canonical columns of
``linkage.features``) to :func:`online_check`; it answers with a small HTML partial listing the
register businesses this could be. The API (``api.linkage``) asks the same question through
:func:`likely_duplicates_for_user` and answers in JSON.

Only businesses inside the user's scope (``registry.access.business_scope``) are ever shown:
the engine scores the whole register, the scope is applied to its answer before anything
else is read, and nothing says how many were left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from naikkelas.accounts.permissions import Capability, requires
from naikkelas.linkage.candidates import Candidate, RegisterIndex, likely_duplicates
from naikkelas.linkage.labels import terms_for_display
from naikkelas.registry.access import business_scope
from naikkelas.registry.models import Business, BusinessOwner, Owner, OwnerRole

__all__ = [
    "CHECKED_COLUMNS",
    "LikelyDuplicate",
    "likely_duplicates_for_user",
    "online_check",
    "typed_record",
    "urlpatterns",
]

# The canonical input columns of ``linkage.features`` that a typed record may carry.
CHECKED_COLUMNS = (
    "owner_name",
    "nik",
    "business_name",
    "phone",
    "address",
    "kelurahan",
    "sector",
    "nib",
)
SHOWN = 5  # candidates listed at most
MIN_SAME_OWNER = 0.5  # below this the pair is not worth an officer's attention
# Candidates above the threshold whose scope is checked: far more than are ever shown, so a
# user with a narrow scope still sees the best of their own businesses.
SCOPE_CHECKED = 100
MAX_LENGTH = 200  # longer values are cut: nothing real is longer, and fuzzy matching is O(n²)
TERMS_SHOWN = 3


def typed_record(data: Mapping[str, Any]) -> dict[str, str]:
    """The checked columns of ``data`` as clean text: anything else (lists, numbers, control
    characters, very long values) is reduced to plain, bounded strings or left out."""
    record: dict[str, str] = {}
    for column in CHECKED_COLUMNS:
        value = data.get(column)
        if isinstance(value, list | tuple):
            value = value[-1] if value else None
        if value is None or isinstance(value, bool):
            continue
        text = "".join(ch if ch.isprintable() else " " for ch in str(value)[:MAX_LENGTH])
        text = text.strip()
        if text:
            record[column] = text
    return record


def worth_checking(record: Mapping[str, str]) -> bool:
    """A business name and something of its owner: less than that matches too much."""
    return bool(record.get("business_name")) and any(
        record.get(column) for column in ("owner_name", "nik", "phone")
    )


def _labelled(explanation: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**term, "comparison": str(term["comparison"]), "label": str(term["label"])}
        for term in terms_for_display(explanation, "business")
    ]


def _percent(probability: float) -> int:
    """Whole percent, never 0 or 100: the model is never certain."""
    return max(1, min(99, round(probability * 100)))


@dataclass(frozen=True)
class LikelyDuplicate:
    """A business of the user's scope that the typed record could be, with its score."""

    business: Business
    owner: Owner | None  # the main owner (pemilik)
    candidate: Candidate

    @property
    def same_business_probability(self) -> float:
        return self.candidate.same_business_probability

    @property
    def same_owner_probability(self) -> float:
        return self.candidate.same_owner_probability

    @property
    def other_business_probability(self) -> float:
        """The same owner running *another* business (P(same owner) - P(same business))."""
        return max(0.0, self.same_owner_probability - self.same_business_probability)

    @property
    def is_same_business(self) -> bool:
        return self.same_business_probability >= self.other_business_probability

    @property
    def same_business_percent(self) -> int:
        return _percent(self.same_business_probability)

    @property
    def other_business_percent(self) -> int:
        return _percent(self.other_business_probability)

    def explanation(self) -> dict[str, Any]:
        """The engine's explanation (``PairScore.as_dict()``) with ``terms``: the business
        model's terms labelled, strongest evidence first."""
        raw = self.candidate.score.as_dict()
        return {**raw, "terms": _labelled(raw)}

    def terms(self) -> list[dict[str, Any]]:
        return _labelled(self.candidate.score.as_dict())

    def agreeing_terms(self) -> list[dict[str, Any]]:
        return [t for t in self.terms() if t["agrees"]][:TERMS_SHOWN]


def likely_duplicates_for_user(
    *, user: Any, data: Mapping[str, Any], limit: int = SHOWN
) -> list[LikelyDuplicate]:
    """Up to ``limit`` businesses of the user's scope that the record ``data`` (canonical
    columns) could be, most likely the same business first. Empty when the record says too
    little, or when no candidate reaches :data:`MIN_SAME_OWNER`.

    Malformed values (a NIK of 12 digits, a kelurahan nobody knows) are simply not evidence.
    """
    record = typed_record(data)
    if not worth_checking(record):
        return []
    index = RegisterIndex(area_code=settings.NAIKKELAS_AREA_CODE)
    everything = likely_duplicates(record, limit=10**9, index=index)
    likely = [c for c in everything if c.same_owner_probability >= MIN_SAME_OWNER]
    likely = likely[:SCOPE_CHECKED]
    if not likely:
        return []
    main_owner = BusinessOwner.objects.filter(role=OwnerRole.PEMILIK).select_related("owner")
    visible = {
        b.pk: b
        for b in business_scope(user=user)
        .filter(pk__in=[c.business_id for c in likely])
        .select_related("desa_kelurahan")
        .prefetch_related(Prefetch("ownerships", queryset=main_owner, to_attr="main_ownerships"))
    }
    found: list[LikelyDuplicate] = []
    for candidate in likely:
        business = visible.get(candidate.business_id)
        if business is None:
            continue
        owners = business.main_ownerships
        found.append(LikelyDuplicate(business, owners[0].owner if owners else None, candidate))
        if len(found) >= limit:
            break
    return found


@requires(Capability.REGISTER_EDIT)
@require_http_methods(["GET", "POST"])
def online_check(request: HttpRequest) -> HttpResponse:
    """The partial the new-business form shows while the officer types (empty when nothing
    is likely). The form page posts, so that no NIK ends up in a URL or an access log."""
    data = request.POST if request.method == "POST" else request.GET
    duplicates = likely_duplicates_for_user(user=request.user, data=data)
    return render(request, "linkage/_online_candidates.html", {"duplicates": duplicates})


urlpatterns: list[URLPattern] = [
    path("cek/", online_check, name="online_check"),
]
