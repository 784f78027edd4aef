"""The permission matrix: every URL and API operation × every role.

1. Every URL pattern and API operation declares a rule (``@requires`` or ``@public``): a new
   endpoint without one fails here.
2. The grants per role are the matrix written below: changing who may do what means changing
   this file too, on purpose.
3. Each endpoint, requested as each role, answers 403 exactly when the role lacks the
   capability (anonymous users are sent to the login page, or get 401 from the API).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from naikkelas.accounts.models import AreaAssignment, Role
from naikkelas.accounts.permissions import DEVICE_PREFIX, GRANTS, PUBLIC, Capability, rule_of
from naikkelas.api.api import api
from naikkelas.api.auth import rule_of_operation
from tests.conftest import make_user
from tests.factories import make_business

A, D, H, E, P, OW = (
    Role.ADMIN,
    Role.DINAS,
    Role.HIPMIKINDO,
    Role.ENUMERATOR,
    Role.PIMPINAN,
    Role.OWNER,
)
MATRIX: dict[Capability, set[Role]] = {
    Capability.DASHBOARD_VIEW: {A, D, H, E, P},
    Capability.REGISTER_VIEW: {A, D, H, E},
    Capability.REGISTER_EDIT: {A, D, H, E},
    Capability.REGISTER_MANAGE: {A, D},
    Capability.REGISTER_EXPORT: {A, D, H},
    Capability.IMPORT_MANAGE: {A, D, H},
    Capability.LINKAGE_REVIEW: {A, D},
    Capability.PERSON_REVEAL: {A, D, H, E},
    Capability.DSR_PROCESS: {A, D},
    Capability.CONSENT_RECORD: {A, D, H, E},
    Capability.AUDIT_VIEW: {A},
    Capability.USERS_MANAGE: {A},
    Capability.OWNER_PORTAL: {OW},
    Capability.ACCOUNT_SELF: {A, D, H, E, P, OW},
    Capability.FIELD_SUBMIT: {A, D, H, E},
    Capability.PROGRAMME_VIEW: {A, D, H},
    Capability.PROGRAMME_MANAGE: {A, D, H},
    Capability.GUIDANCE_MANAGE: {A},
    Capability.KENDALA_MANAGE: {A, D, H},
    Capability.MARKET_MANAGE: {A, D, H},
    Capability.ASSOCIATION_VIEW: {A, D, H},
    Capability.ASSOCIATION_MANAGE: {A, H},
    Capability.OPS_VIEW: {A},
    Capability.OPS_MANAGE: {A},
}

# Django's admin site guards itself (staff only = the admin role); checked separately below.
SKIPPED_NAMESPACES = {"admin"}


def iter_url_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    """(route, name, callback) for every HTML pattern, outside the API and the admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES or str(entry.pattern).startswith("api/"):
                continue
            yield from iter_url_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield prefix + str(entry.pattern), name, entry.callback


def iter_api_operations() -> Iterator[tuple[str, str, Any]]:
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield f"/api/v1{prefix.rstrip('/')}{path}", method, operation


def test_grants_are_the_documented_matrix() -> None:
    assert {cap: set(roles) for cap, roles in GRANTS.items()} == MATRIX


def test_every_url_pattern_declares_a_rule() -> None:
    missing = [
        f"{route} ({name})" for route, name, view in iter_url_patterns() if rule_of(view) is None
    ]
    assert not missing, f"views without @requires/@public: {missing}"


def test_every_api_operation_declares_a_rule() -> None:
    missing = [
        f"{method} {path}"
        for path, method, operation in iter_api_operations()
        if rule_of_operation(operation) is None
    ]
    assert not missing, f"API operations without auth=capability_auth(...): {missing}"


@pytest.fixture
def objects(db) -> dict[str, str]:  # noqa: ANN001
    from pathlib import Path

    from naikkelas.intake.services import import_batch_stage

    business = make_business()
    owner = business.owners.get()
    sheet = Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "google_form.csv"
    batch, _created = import_batch_stage(
        actor=None, path=sheet, file_name=sheet.name, source="matrix"
    )
    return {
        "batch_id": str(batch.pk),
        "row_id": str(batch.rows.order_by("pk").first().pk),
        "business_id": str(business.pk),
        "owner_id": str(owner.pk),
        "permit_id": "00000000-0000-0000-0000-000000000001",
        "channel_id": "00000000-0000-0000-0000-000000000002",
        "request_id": "00000000-0000-0000-0000-000000000003",
        "candidate_id": "00000000-0000-0000-0000-000000000004",
        "merge_id": "00000000-0000-0000-0000-000000000005",
        "programme_id": "00000000-0000-0000-0000-000000000006",
        "cycle_id": "00000000-0000-0000-0000-000000000007",
        "application_id": "00000000-0000-0000-0000-000000000008",
        "enrolment_id": "00000000-0000-0000-0000-000000000009",
        "run_id": "00000000-0000-0000-0000-00000000000a",
        "session_id": "00000000-0000-0000-0000-00000000000b",
        "key": "nib",
        "kendala_id": "00000000-0000-0000-0000-00000000000c",
        "product_id": "00000000-0000-0000-0000-00000000000d",
        "listing_id": "00000000-0000-0000-0000-00000000000e",
        "photo_id": "00000000-0000-0000-0000-00000000000f",
        "affiliate_id": "00000000-0000-0000-0000-000000000010",
        "member_id": "00000000-0000-0000-0000-000000000011",
        "payment_id": "00000000-0000-0000-0000-000000000012",
        "event_id": "00000000-0000-0000-0000-000000000013",
        "registration_id": "00000000-0000-0000-0000-000000000014",
        "task_id": "00000000-0000-0000-0000-000000000015",
        "kind": "tunggakan",
        "card_code": "TIDAKADAKODEKARTU",
        "code": "TIDAKADA",
        "user_id": "1",
        "token": "tidak-ada",
    }


_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + _PARAM.sub(lambda m: values.get(m.group("name"), "1"), route)


def users() -> dict[Role, Any]:
    made = {role: make_user(role, f"matrix-{role}") for role in Role}
    AreaAssignment.objects.create(user=made[Role.ENUMERATOR], region_id="36.73.06")
    return made


def call(client: Client, url: str, *, api_call: bool = False, method: str = "get") -> int:
    response = (
        getattr(client, method.lower())(url, content_type="application/json")
        if api_call
        else getattr(client, method.lower())(url)
    )
    if response.status_code == 405 and method == "get":
        return call(client, url, api_call=api_call, method="post")
    return response.status_code


@pytest.mark.django_db
def test_each_role_gets_403_exactly_where_it_lacks_the_capability(objects) -> None:
    people = users()
    problems: list[str] = []
    for route, name, view in iter_url_patterns():
        rule = rule_of(view)
        url = fill(route, objects)
        anonymous = call(Client(), url)
        if rule == PUBLIC:
            if anonymous == 403:
                problems.append(f"{name}: public view refused anonymous")
            continue
        if rule.startswith(DEVICE_PREFIX):
            # phones authenticate by device key or Basic, never by session: a signed-in
            # browser gets the same challenge (tests/fieldwork/test_openrosa.py per role)
            if anonymous != 401:
                problems.append(f"{name}: device view answered anonymous {anonymous}, not 401")
            continue
        if anonymous not in (302, 404):
            problems.append(f"{name}: anonymous got {anonymous}, expected a login redirect")
        for role, user in people.items():
            client = Client()
            client.force_login(user)
            status = call(client, url)
            allowed = Role(role) in GRANTS[Capability(rule)]
            if allowed and status == 403:
                problems.append(f"{name}: {role} refused but holds {rule}")
            if not allowed and status != 403:
                problems.append(f"{name}: {role} got {status} without {rule}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_each_role_gets_403_on_api_operations_it_may_not_use(objects) -> None:
    from naikkelas.accounts.services import api_token_create

    people = users()
    problems: list[str] = []
    for path, method, operation in iter_api_operations():
        rule = Capability(str(rule_of_operation(operation)))
        url = fill(path.lstrip("/").replace("{", "<").replace("}", ">"), objects)
        client = Client()
        status = getattr(client, method.lower())(url, content_type="application/json").status_code
        if status != 401:
            problems.append(f"{method} {path}: anonymous got {status}")
        for role, user in people.items():
            _token, key = api_token_create(user=user, name="matrix")
            response = getattr(Client(), method.lower())(
                url, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
            )
            allowed = Role(role) in GRANTS[rule]
            if allowed and response.status_code == 403:
                problems.append(f"{method} {path}: {role} refused but holds {rule}")
            if not allowed and response.status_code != 403:
                problems.append(f"{method} {path}: {role} got {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_only_the_admin_role_reaches_the_django_admin() -> None:
    for role in Role:
        client = Client()
        client.force_login(make_user(role, f"admin-site-{role}"))
        status = client.get("/admin/").status_code
        assert (status == 200) == (role == Role.ADMIN), (role, status)
