"""The categories of kendala: loaded on a new deployment, changed by officers (audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from naikkelas.core.audit import audit_log, diff, snapshot
from naikkelas.core.exceptions import ApplicationError
from naikkelas.kendala.categories import DEFAULT_CATEGORIES
from naikkelas.kendala.models import KendalaCategory

BAD_CODE = gettext_noop("Kode kategori: huruf kecil, angka dan tanda minus saja.")
NEEDS_NAME = gettext_noop("Tuliskan nama kategori.")

_FIELDS = ("name", "active", "sort_order")


def kendala_categories_load(*, actor: Any = None) -> int:
    """Create the default categories that are missing (as the data migration does, for
    databases flushed by tests); existing ones are left as officers changed them."""
    created = 0
    with transaction.atomic():
        for order, (code, name) in enumerate(DEFAULT_CATEGORIES, start=1):
            _row, new = KendalaCategory.objects.get_or_create(
                code=code, defaults={"name": name, "sort_order": order * 10}
            )
            created += int(new)
        if created:
            audit_log(
                actor=actor,
                action="kendala.category_load",
                object_type=KendalaCategory._meta.label_lower,
                extra={"created": created},
            )
    return created


def kendala_category_save(
    *,
    actor: Any,
    code: str,
    name: str,
    active: bool = True,
    sort_order: int = 0,
    request: Any = None,
) -> KendalaCategory:
    """Add a category, or change the name, order or use of the one with ``code`` (a code is
    never changed: counts and the API refer to it). Retiring one (``active=False``) keeps
    its kendala and hides it from new reports.

    Raises:
        ApplicationError: a malformed code or an empty name.
    """
    code = code.strip()
    if not code or slugify(code) != code or len(code) > 32:
        raise ApplicationError(_(BAD_CODE), code="code")
    if not name.strip():
        raise ApplicationError(_(NEEDS_NAME), code="name")
    with transaction.atomic():
        category = KendalaCategory.objects.select_for_update().filter(code=code).first()
        created = category is None
        if category is None:
            category = KendalaCategory(code=code)
        before = {} if created else snapshot(category, _FIELDS)
        category.name, category.active, category.sort_order = name.strip()[:100], active, sort_order
        category.save()
        audit_log(
            actor=actor,
            action="kendala.category_create" if created else "kendala.category_update",
            instance=category,
            changes=diff(before, snapshot(category, _FIELDS)),
            request=request,
        )
    return category
