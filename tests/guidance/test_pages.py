"""Guidance on the database and in the pages: stored rule versions, evaluations that keep their
versions, the public self-check (nothing stored), tax calculator, myths, findings, API."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from naikkelas.accounts.models import Role
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.guidance.models import GuidanceAnswers, GuidanceEvaluation, GuidanceRule
from naikkelas.guidance.rulebase import packaged_rules
from naikkelas.guidance.services.evaluations import guidance_answers_set, guidance_evaluate
from naikkelas.guidance.services.rules import rule_revise, rules_sync_packaged
from naikkelas.registry.services import permit_add, yearly_figure_set
from tests.conftest import make_user
from tests.programs.conftest import business_in

pytestmark = pytest.mark.django_db

SELF_CHECK = {
    "sector": "kuliner",
    "food": "kemasan_rendah",
    "legal_form": "PERORANGAN",
    "omzet": "600000000",
    "tax_year": "2026",
    "has_nib": "ya",
    "halal_simple_process": "ya",
}


def test_packaged_rules_are_stored_once_and_never_rewritten() -> None:
    packaged = packaged_rules()
    assert GuidanceRule.objects.count() == len(packaged)
    assert rules_sync_packaged() == 0  # a second migrate adds nothing
    for spec in packaged:
        row = GuidanceRule.objects.get(key=spec.key, version=spec.version)
        assert row.data["legal_basis"] and row.data["sources"]


def test_a_revision_is_a_new_version_and_old_evaluations_stay(dinas_user) -> None:  # noqa: ANN001
    admin = make_user(Role.ADMIN, "admin-aturan")
    business = business_in("36.73.02", nib=False)
    on = timezone.localdate()
    _guidance, first = guidance_evaluate(actor=dinas_user, business=business, on=on)
    assert first is not None and ["nib", 2] in first.rule_versions
    nib_v2 = GuidanceRule.objects.get(key="nib", version=2)
    assert first.rules.filter(pk=nib_v2.pk).exists()
    before = dict(first.result)

    with pytest.raises(ApplicationError, match="catatan"):
        rule_revise(actor=admin, key="nib", changes={"legal_basis": "x"}, note=" ")
    with pytest.raises(ApplicationError, match="tidak sah"):
        rule_revise(actor=admin, key="nib", changes={"status": "kira-kira"}, note="uji")
    new = rule_revise(
        actor=admin,
        key="nib",
        changes={
            "summary": {"id": "NIB gratis di OSS (diperbarui).", "en": "NIB is free (updated)."}
        },
        note="Ringkasan diperjelas",
    )
    assert new.version == 3 and new.origin == "admin"
    assert AuditEvent.objects.filter(action="guidance.rule_revise").count() == 1

    _guidance, second = guidance_evaluate(actor=dinas_user, business=business, on=on)
    assert second is not None and second.pk != first.pk and ["nib", 3] in second.rule_versions
    first.refresh_from_db()
    assert first.result == before and ["nib", 2] in first.rule_versions  # untouched
    # unchanged business, unchanged rules: looking again stores nothing new
    _guidance, third = guidance_evaluate(actor=dinas_user, business=business, on=on)
    assert third.pk == second.pk
    assert GuidanceEvaluation.objects.filter(business=business).count() == 2
    assert GuidanceRule.objects.get(key="nib", version=2).data == nib_v2.data


def test_business_page_reads_the_register_and_the_answers(dinas_client, dinas_user) -> None:  # noqa: ANN001
    business = business_in("36.73.01")
    yearly_figure_set(
        actor=dinas_user, business=business, year=2025, omzet=300_000_000, modal=None, workers=2
    )
    url = reverse("guidance:business", args=[business.pk])
    page = dinas_client.get(url).content.decode()
    assert 'data-rule="nib" data-status="done"' in page
    assert "Dasar hukum:" in page and "PP 28/2025" in page
    dinas_client.post(url, {"food": "kemasan_rendah", "halal_simple_process": "ya"})
    assert GuidanceAnswers.objects.get(business=business).answers == {
        "food": "kemasan_rendah",
        "halal_simple_process": True,
    }
    page = dinas_client.get(url).content.decode()
    assert 'data-rule="spp_irt" data-status="missing"' in page
    assert 'data-rule="halal_self_declare"' in page
    permit_add(
        actor=dinas_user,
        business=business,
        kind="SPP_IRT",
        number="2063673010012-31",
        issued_on=date(2026, 1, 5),
        expires_on=date(2031, 1, 5),
    )
    page = dinas_client.get(url).content.decode()
    assert 'data-rule="spp_irt" data-status="done"' in page
    pdf = dinas_client.get(reverse("guidance:business_pdf", args=[business.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="guidance.export").count() == 1
    with pytest.raises(ApplicationError):
        guidance_answers_set(actor=dinas_user, business=business, answers={"food": "batu"})
    summary = dinas_client.get(business.get_absolute_url()).content.decode()
    assert 'data-testid="guidance-summary"' in summary and "perlu ditindaklanjuti" in summary


def test_owner_sees_guidance_of_their_own_business_only(client, dinas_user) -> None:  # noqa: ANN001
    from naikkelas.registry.models import Owner

    mine, other = business_in("36.73.03"), business_in("36.73.03")
    owner_user = make_user(Role.OWNER, "pemilik-panduan")
    Owner.objects.filter(pk=mine.owners.get().pk).update(user=owner_user)
    client.force_login(owner_user)
    assert client.get(reverse("guidance:my_business", args=[mine.pk])).status_code == 200
    assert client.get(reverse("guidance:my_business", args=[other.pk])).status_code == 404
    assert client.get(reverse("guidance:my_pdf", args=[mine.pk])).status_code == 200
    assert client.get(reverse("guidance:my_pdf", args=[other.pk])).status_code == 404
    assert client.get(reverse("guidance:business_pdf", args=[mine.pk])).status_code == 403


def test_public_self_check_gives_a_sourced_checklist_and_stores_nothing(client) -> None:  # noqa: ANN001
    rows_before = (GuidanceEvaluation.objects.count(), AuditEvent.objects.count())
    response = client.get(reverse("guidance:self_check"), SELF_CHECK)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="checklist"' in page and 'data-testid="roadmap"' in page
    assert "Rp500.000" in page  # 0,5% × (600 juta − 500 juta)
    assert page.count("Dasar hukum:") >= 4
    assert "https://wa.me/?text=" in page
    assert (GuidanceEvaluation.objects.count(), AuditEvent.objects.count()) == rows_before
    assert not client.cookies.get("sessionid")
    share = next(p for p in page.split('"') if p.startswith("https://wa.me/?text="))
    assert "Rp500.000" in unquote(share)
    pdf = client.get(reverse("guidance:self_check_pdf"), SELF_CHECK)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    broken = client.get(reverse("guidance:self_check"), {**SELF_CHECK, "omzet": "banyak"})
    assert broken.status_code == 200 and 'data-testid="checklist"' not in broken.content.decode()
    assert client.get(reverse("guidance:self_check_pdf"), {"omzet": "x"}).status_code == 302


@pytest.mark.parametrize(
    ("omzet", "legal_form", "expected"),
    [
        ("500000000", "PERORANGAN", "Rp0"),
        ("600000000", "PERORANGAN", "Rp500.000"),
        ("600000000", "PT_PERORANGAN", "Rp3.000.000"),
    ],
)
def test_tax_calculator(client, omzet: str, legal_form: str, expected: str) -> None:  # noqa: ANN001
    year = timezone.localdate().year
    response = client.get(
        reverse("guidance:tax"),
        {"omzet": omzet, "legal_form": legal_form, "tax_year": year, "tax_first_year": year},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="tax-amount">{expected}<' in page
    assert "PP 55/2022" in page


def test_myths_and_rule_list_cite_sources(client) -> None:  # noqa: ANN001
    page = client.get(reverse("guidance:myths")).content.decode()
    assert "Mitos" in page and page.count("sumber 1") >= 4
    rules = client.get(reverse("guidance:rule_list")).content.decode()
    for spec in packaged_rules():
        assert f'data-testid="rule-{spec.key}"' in rules
    assert "diumumkan" in rules  # the announced PPh change is flagged


def test_admin_revises_a_rule_in_the_ui(client) -> None:  # noqa: ANN001
    admin = make_user(Role.ADMIN, "admin-ui")
    client.force_login(admin)
    url = reverse("guidance:rule_revise", args=["halal_wajib"])
    form = client.get(url)
    assert form.status_code == 200
    initial = form.context["form"].initial
    data = {
        **{k: v for k, v in initial.items() if v is not None},
        "effective_from": initial["effective_from"],
        "last_reviewed": timezone.localdate().isoformat(),
        "note": "Ditinjau ulang setelah pengumuman BPJPH",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert GuidanceRule.objects.filter(key="halal_wajib").count() == 2
    bad = client.post(url, {**data, "params": "{bukan json"})
    assert bad.status_code == 200 and GuidanceRule.objects.filter(key="halal_wajib").count() == 2


def test_findings_search_and_nominate(dinas_client, dinas_user) -> None:  # noqa: ANN001
    from naikkelas.programs import services as programs
    from naikkelas.programs.models import Application

    without_nib = [business_in("36.73.04", nib=False), business_in("36.73.05", nib=False)]
    business_in("36.73.04")
    page = dinas_client.get(
        reverse("guidance:findings"), {"temuan": "nib-missing", "status": "active"}
    )
    body = page.content.decode()
    for business in without_nib:
        assert business.name in body
    assert page.context["total"] == len(without_nib)
    programme = programs.programme_create(
        actor=dinas_user, name="Fasilitasi NIB", kind="lainnya", organiser="dinas"
    )
    cycle = programs.cycle_create(
        actor=dinas_user,
        programme=programme,
        name="Klinik NIB",
        starts_on=timezone.localdate() + timedelta(days=7),
        ends_on=timezone.localdate() + timedelta(days=7),
        capacity=20,
    )
    dinas_client.post(
        reverse("programs:nominate_chosen"),
        {"cycle": str(cycle.pk), "mode": "list", "businesses": page.context["ids"]},
    )
    assert set(Application.objects.filter(cycle=cycle).values_list("business_id", flat=True)) == {
        b.pk for b in without_nib
    }


def test_guidance_api(client, dinas_user) -> None:  # noqa: ANN001
    from naikkelas.accounts.services import api_token_create

    _token, key = api_token_create(user=dinas_user, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    rules = client.get("/api/v1/guidance/rules", **auth).json()
    assert {r["key"] for r in rules} >= {"nib", "pph_final", "halal_wajib"}
    check = client.post(
        "/api/v1/guidance/check",
        data={
            "sector": "kuliner",
            "food": "kemasan_rendah",
            "annual_omzet": 450_000_000,
            "has_nib": True,
            "tax_year": 2026,
        },
        content_type="application/json",
        **auth,
    )
    assert check.status_code == 200 and check.json()["tax"]["tax"] == 0
    tax = client.post(
        "/api/v1/guidance/tax",
        data={"omzet": 700_000_000, "tax_year": 2026},
        content_type="application/json",
        **auth,
    )
    assert tax.json()["tax"] == 1_000_000
    business = business_in("36.73.06")
    guidance = client.get(f"/api/v1/businesses/{business.pk}/guidance", **auth).json()
    assert guidance["evaluation_id"] and ["nib", 2] in guidance["rule_versions"]
    bad = client.post(
        "/api/v1/guidance/check",
        data={"sector": "kuliner", "food": "batu"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code in (409, 422)
