"""What each role may do, and the decorator every view and API operation declares it with.

Every URL pattern and API operation must carry a rule (``@requires(...)`` or ``@public``); the
permission-matrix test fails on one that does not. Object-level scope (which businesses a user
may see) lives in ``registry.access``; this module answers only "may this role do this at all".
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from naikkelas.accounts.models import Role

RULE_ATTRIBUTE = "naikkelas_rule"
PUBLIC = "public"


class Capability(StrEnum):
    DASHBOARD_VIEW = "dashboard.view"  # aggregates, no person's data
    REGISTER_VIEW = "register.view"  # businesses within the user's scope, PII masked
    REGISTER_EDIT = "register.edit"  # create and change businesses within scope
    REGISTER_MANAGE = "register.manage"  # close/reopen, assign enumerators
    REGISTER_EXPORT = "register.export"  # download the register list (PII masked), audited
    IMPORT_MANAGE = "import.manage"  # upload spreadsheets, fix quarantined rows, undo imports
    LINKAGE_REVIEW = "linkage.review"  # decide on likely duplicates; merge and unmerge records
    PERSON_REVEAL = "person.reveal"  # see a full NIK/phone/address (audited)
    DSR_PROCESS = "dsr.process"  # handle data-subject requests
    CONSENT_RECORD = "consent.record"  # record or withdraw an owner's consent
    AUDIT_VIEW = "audit.view"  # search and export the audit log
    USERS_MANAGE = "users.manage"  # invite users, assign roles and areas
    OWNER_PORTAL = "owner.portal"  # an owner's own businesses and data
    ACCOUNT_SELF = "account.self"  # any signed-in user: own password, tokens
    FIELD_SUBMIT = "fieldwork.submit"  # send census forms from ODK Collect/KoboCollect
    PROGRAMME_VIEW = "programme.view"  # programmes, applicants, selections, the aid ledger
    PROGRAMME_MANAGE = "programme.manage"  # create cycles, nominate, run selection, enrol
    GUIDANCE_MANAGE = "guidance.manage"  # publish new versions of permit and tax rules
    KENDALA_MANAGE = "kendala.manage"  # triage, assign, answer and close owners' obstacles
    MARKET_MANAGE = "market.manage"  # products, packaging upgrades, listings, affiliates
    ASSOCIATION_VIEW = "association.view"  # members, dues, board, events of the association
    ASSOCIATION_MANAGE = "association.manage"  # record members, dues, events, attendance
    OPS_VIEW = "ops.view"  # background jobs, their failures, the workers (no personal data)
    OPS_MANAGE = "ops.manage"  # retry a failed background job (audited)


STAFF = {Role.ADMIN, Role.DINAS, Role.HIPMIKINDO, Role.ENUMERATOR, Role.PIMPINAN}
EVERYONE = {*STAFF, Role.OWNER}

GRANTS: dict[Capability, frozenset[Role]] = {
    Capability.DASHBOARD_VIEW: frozenset(STAFF),
    Capability.REGISTER_VIEW: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO, Role.ENUMERATOR}),
    Capability.REGISTER_EDIT: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO, Role.ENUMERATOR}),
    Capability.REGISTER_MANAGE: frozenset({Role.ADMIN, Role.DINAS}),
    # Not enumerators: they work record by record in the field; a list of businesses with
    # owners' names leaves the system only with the office and the association.
    Capability.REGISTER_EXPORT: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO}),
    Capability.IMPORT_MANAGE: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO}),
    # Not Hipmikindo: a merge changes the city's single register (records of non-members too,
    # owners' personal data, the aid ledger), like REGISTER_MANAGE, which it does not hold.
    Capability.LINKAGE_REVIEW: frozenset({Role.ADMIN, Role.DINAS}),
    Capability.PERSON_REVEAL: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO, Role.ENUMERATOR}),
    Capability.DSR_PROCESS: frozenset({Role.ADMIN, Role.DINAS}),
    Capability.CONSENT_RECORD: frozenset(
        {Role.ADMIN, Role.DINAS, Role.HIPMIKINDO, Role.ENUMERATOR}
    ),
    Capability.AUDIT_VIEW: frozenset({Role.ADMIN}),
    Capability.USERS_MANAGE: frozenset({Role.ADMIN}),
    Capability.OWNER_PORTAL: frozenset({Role.OWNER}),
    Capability.ACCOUNT_SELF: frozenset(EVERYONE),
    Capability.FIELD_SUBMIT: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO, Role.ENUMERATOR}),
    # Both organise programmes (the Dinas its trainings, Hipmikindo its facilities for members).
    Capability.PROGRAMME_VIEW: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO}),
    Capability.PROGRAMME_MANAGE: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO}),
    Capability.GUIDANCE_MANAGE: frozenset({Role.ADMIN}),
    Capability.KENDALA_MANAGE: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO}),
    Capability.MARKET_MANAGE: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO}),
    # The association's own books: the Dinas sees them (facilities reach members evenly),
    # only the association (and the administrator) writes them. Approving a new member also
    # needs the secretary's board seat (association.access.can_approve_members).
    Capability.ASSOCIATION_VIEW: frozenset({Role.ADMIN, Role.DINAS, Role.HIPMIKINDO}),
    Capability.ASSOCIATION_MANAGE: frozenset({Role.ADMIN, Role.HIPMIKINDO}),
    # Running the installation is the administrator's job (the same people as /admin/).
    Capability.OPS_VIEW: frozenset({Role.ADMIN}),
    Capability.OPS_MANAGE: frozenset({Role.ADMIN}),
}


def has_capability(user: Any, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return Role(user.role) in GRANTS[capability]


F = TypeVar("F", bound=Callable[..., Any])


def requires(capability: Capability) -> Callable[[F], F]:
    """Declare and enforce the capability a view or API operation needs.

    Anonymous users of HTML views are sent to the login page; API calls are authenticated by
    django-ninja before this runs. A signed-in user without the capability gets 403.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = request.user
            if not getattr(user, "is_authenticated", False):
                if request.path.startswith("/api/"):
                    raise PermissionDenied
                return redirect_to_login(request.get_full_path())
            if not has_capability(user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapped, RULE_ATTRIBUTE, capability)
        return wrapped  # type: ignore[return-value]

    return decorate


DEVICE_PREFIX = "device:"


def device_rule(capability: Capability) -> Callable[[F], F]:
    """Declare a view that phones call (OpenRosa): it authenticates by a device key in the
    URL or HTTP Basic, never by the session, and answers 401 with a challenge; the view
    itself checks ``capability`` for the authenticated user."""

    def decorate(view: F) -> F:
        setattr(view, RULE_ATTRIBUTE, DEVICE_PREFIX + capability.value)
        return view

    return decorate


def public(view: F) -> F:
    """Declare a view that needs no sign-in (login, invitation, public pages)."""
    setattr(view, RULE_ATTRIBUTE, PUBLIC)
    return view


def rule_of(view: Any) -> str | None:
    """The declared rule of a view (following wrappers such as class-based ``as_view``)."""
    seen = 0
    while view is not None and seen < 10:
        rule = getattr(view, RULE_ATTRIBUTE, None)
        if rule is not None:
            return str(rule)
        view_class = getattr(view, "view_class", None)
        if view_class is not None and getattr(view_class, RULE_ATTRIBUTE, None):
            return str(view_class.naikkelas_rule)
        view = getattr(view, "__wrapped__", None)
        seen += 1
    return None
