"""List pagination for the API: ``limit``/``offset`` as before, plus ``after`` (a cursor) for
walking a large register without deep offsets (ADR 0018)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import PaginationBase

from naikkelas.core.keyset import COUNT_CAP, SEARCH_COUNT_CAP, capped_count, keyset_page


class KeysetPagination(PaginationBase):
    """``{"items": [...], "count": n, "next": "<cursor>" | null}``.

    Pass ``next`` back as ``after`` for the following page (``offset`` is then ignored);
    ``count`` is the number of rows the filter matches, exact up to 10,000 (1,000 for a
    search; ``count_exact`` says whether there are more). The order is the list's own, ended by
    the primary key (``ordering``).
    """

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=1000)
        offset: int = Field(0, ge=0)
        after: str = Field("", max_length=400, description="the `next` of the previous page")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="rows matched, counted up to 10,000 (1,000 for a search)")
        count_exact: bool = Field(description="false when there are more than `count`")
        next: str | None = None

    items_attribute = "items"

    def __init__(self, ordering: tuple[str, ...] = ("name_key", "id"), **kwargs: Any) -> None:
        self.ordering = ordering
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        page = keyset_page(
            queryset,
            ordering=self.ordering,
            size=pagination.limit,
            after=pagination.after or None,
            offset=0 if pagination.after else pagination.offset,
        )
        searching = bool(params.get("filters") and getattr(params["filters"], "q", ""))
        count, exact = capped_count(queryset, cap=SEARCH_COUNT_CAP if searching else COUNT_CAP)
        return {
            "items": page.items,
            "count": count,
            "count_exact": exact,
            "next": page.next_cursor,
        }
