"""Which businesses and owners a user may reach: the one place that decides.

Every view, API operation, export and task gets its businesses through these functions.
"Does not exist" and "not yours" look the same (``Http404``): ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.regions.selectors import area_kecamatan_codes
from naikkelas.registry.models import Business, BusinessAssignment, BusinessOwner, Owner

FULL_REGISTER_ROLES = {Role.ADMIN, Role.DINAS, Role.HIPMIKINDO}


def _area_filter(user: Any) -> Q:
    """Businesses inside the kecamatan/kelurahan assigned to the user."""
    codes = list(AreaAssignment.objects.filter(user=user).values_list("region_id", flat=True))
    if not codes:
        return Q(pk__in=[])
    return Q(kecamatan_id__in=codes) | Q(desa_kelurahan_id__in=codes)


def deployment_area_filter() -> Q:
    """Businesses of the deployment area, as a list of its kecamatan codes: a cheap membership
    test on an indexed column (a ``LIKE '36.%'`` on every row of a million-row register cost
    more than the rest of the list page). Falls back to the prefix when the area has no
    kecamatan of its own (an area code at kecamatan level)."""
    area = settings.NAIKKELAS_AREA_CODE
    codes = area_kecamatan_codes(area_code=area)
    if codes:
        return Q(kecamatan_id__in=codes)
    return Q(desa_kelurahan__code__startswith=area + ".")


def business_scope(*, user: Any) -> QuerySet[Business]:
    """All businesses the user may see (before any search or filter)."""
    qs = Business.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    role = Role(user.role)
    if role in FULL_REGISTER_ROLES:
        return qs.filter(deployment_area_filter())
    if role == Role.ENUMERATOR:
        assigned = Exists(BusinessAssignment.objects.filter(business=OuterRef("pk"), user=user))
        return qs.filter(_area_filter(user)).filter(Q(created_by=user) | assigned)
    if role == Role.OWNER:
        own = BusinessOwner.objects.filter(business=OuterRef("pk"), owner__user=user)
        return qs.filter(Exists(own))
    return qs.none()  # pimpinan: aggregates only


def business_get_accessible(*, user: Any, business_id: Any) -> Business:
    """The business, if it exists and the user may see it; otherwise ``Http404``.

    Raises:
        Http404: for an unknown id, a malformed id and a business outside the user's scope.
    """
    from naikkelas.registry.selectors import business_get

    business = business_get(business_id=business_id, base=business_scope(user=user))
    if business is None:
        raise Http404
    return business


def owner_scope(*, user: Any) -> QuerySet[Owner]:
    """Owners the user may see: officers all; enumerators the owners of their businesses and
    those they registered; an owner only themselves; pimpinan nobody."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Owner.objects.none()
    role = Role(user.role)
    if role in FULL_REGISTER_ROLES:
        return Owner.objects.all()
    if role == Role.OWNER:
        return Owner.objects.filter(user=user)
    if role == Role.ENUMERATOR:
        visible = BusinessOwner.objects.filter(
            owner=OuterRef("pk"), business__in=business_scope(user=user)
        )
        return Owner.objects.filter(Exists(visible) | Q(created_by=user))
    return Owner.objects.none()


def owner_get_accessible(*, user: Any, owner_id: Any) -> Owner:
    """Raises ``Http404`` exactly like ``business_get_accessible``."""
    from naikkelas.registry.selectors import owner_get

    owner = owner_get(owner_id=owner_id, base=owner_scope(user=user))
    if owner is None:
        raise Http404
    return owner


def can_edit_business(*, user: Any, business: Business) -> bool:
    """Enumerators change only what they registered or were assigned; others within scope."""
    return business_scope(user=user).filter(pk=business.pk).exists() and user.role != Role.OWNER


def region_in_scope(*, user: Any, desa_kelurahan_code: str) -> bool:
    """May the user register a business in this desa/kelurahan?"""
    if not getattr(user, "is_authenticated", False):
        return False
    role = Role(user.role)
    area = settings.NAIKKELAS_AREA_CODE + "."
    if role in FULL_REGISTER_ROLES:
        return desa_kelurahan_code.startswith(area)
    if role == Role.ENUMERATOR:
        codes = AreaAssignment.objects.filter(user=user).values_list("region_id", flat=True)
        return any(
            desa_kelurahan_code == code or desa_kelurahan_code.startswith(code + ".")
            for code in codes
        )
    return False
