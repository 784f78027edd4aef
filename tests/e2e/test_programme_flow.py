"""An officer runs a training cycle for 150 kuliner businesses entirely in the browser:
programme, cycle, rule, session, nomination from the register, published seed, selection with
reasons, fairness report, enrolment, attendance and an outcome; the stored run replays."""

from __future__ import annotations

import pytest

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import user_create
from naikkelas.programs.models import (
    Application,
    ApplicationStatus,
    Attendance,
    Cycle,
    Enrolment,
    Outcome,
)
from naikkelas.programs.services import selection_replay
from naikkelas.registry.models import Business
from naikkelas.registry.services.demo import demo_register_load
from tests.conftest import load_reference_data

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_officer_runs_a_training_cycle_in_the_browser(live_server, page, tmp_path) -> None:
    load_reference_data()
    demo_register_load(businesses=900, seed=7)
    kuliner = Business.objects.filter(sector_id="kuliner", status="active").count()
    assert kuliner > 150
    user_create(username="petugas", password="Rahasia-123!", role=Role.DINAS)
    base = live_server.url
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "petugas")
    page.fill("#id_password", "Rahasia-123!")
    page.click("button[type=submit]")

    page.goto(f"{base}/program/")
    page.click("summary:has-text('Buat program baru')")
    page.fill("#id_name", "Pelatihan Kuliner Naik Kelas")
    page.select_option("#id_kind", "pelatihan")
    page.select_option("#id_organiser", "dinas")
    page.click("button:has-text('Simpan program')")

    page.click("summary:has-text('Buat angkatan baru')")
    form = page.locator("form[data-testid=cycle-form]")
    form.locator("#id_name").fill("Angkatan I")
    form.locator("#id_starts_on").fill("2027-01-11")
    form.locator("#id_ends_on").fill("2027-01-15")
    form.locator("#id_capacity").fill("150")
    form.locator("#id_unit_value").fill("1200000")
    form.locator("#id_location").fill("Aula Diskopukmperindag")
    form.locator("#id_min_per_kecamatan").fill("5")
    form.locator("button:has-text('Simpan angkatan')").click()
    page.wait_for_selector("[data-testid=cycle-status]")
    cycle = Cycle.objects.get(name="Angkatan I")

    page.click("summary:has-text('Tambah syarat')")
    rule = page.locator("form[data-testid=rule-form]")
    rule.locator("select[name=kind]").select_option("sector_in")
    rule.locator("input[name=sectors][value=kuliner]").check()
    rule.locator("button:has-text('Tambah syarat')").click()
    assert "Sektor: Kuliner" in page.inner_text("[data-testid=rules]")

    page.click("summary:has-text('Tambah sesi')")
    page.fill("#id_title", "Keamanan pangan dan label")
    page.fill("#id_held_on", "2027-01-11")
    page.click("button:has-text('Tambah sesi')")

    page.click("summary:has-text('Nominasikan dari register (filter)')")
    nominate = page.locator("form[data-testid=nominate-filter]")
    nominate.locator("select[name=sector]").select_option("kuliner")
    nominate.locator("button").click()
    assert Application.objects.filter(cycle=cycle).count() == kuliner

    page.locator("form[data-testid=publish-form] button").click()
    seed = page.inner_text("[data-testid=seed]")
    cycle.refresh_from_db()
    assert seed == cycle.seed  # shown before the draw

    page.click("[data-testid=run-selection]")
    page.wait_for_selector("[data-testid=applications] tr[data-status=selected]")
    reasons = page.locator("[data-testid=applications] [data-testid=reason]").all_inner_texts()
    assert any(r.startswith("terpilih: kuota") for r in reasons)
    page.click("nav.pager a:has-text('Berikutnya')")  # 100 applicants a page
    reasons = page.locator("[data-testid=applications] [data-testid=reason]").all_inner_texts()
    assert any(r.startswith("cadangan no. 1:") for r in reasons)
    assert Application.objects.filter(cycle=cycle, status=ApplicationStatus.SELECTED).count() == 150
    page.screenshot(path=tmp_path / "selection.png", full_page=True)

    page.goto(f"{base}{cycle.get_absolute_url()}")
    page.click("[data-testid=fairness-link]")
    assert page.locator("[data-testid=share-table]").first.is_visible()
    assert "150" in page.inner_text("[data-testid=fairness-stats]")
    page.go_back()

    page.click("[data-testid=enrol-all]")
    page.wait_for_selector("[data-testid=enrolments] tr[data-status=enrolled]")
    assert Enrolment.objects.filter(cycle=cycle).count() == 150

    page.click("a:has-text('Kehadiran')")
    boxes = page.locator("form[data-testid=attendance-form] input[name=present]")
    for index in range(3):
        boxes.nth(index).check()
    page.click("button:has-text('Simpan kehadiran')")
    assert Attendance.objects.filter(present=True).count() == 3

    first_row = page.locator("[data-testid=enrolments] tbody tr").first
    first_row.locator("summary:has-text('catat hasil')").click()
    first_row.locator("select[name=kind]").select_option("packaging")
    first_row.locator("input[name=observed_on]").fill("2027-03-01")
    first_row.locator("input[name=detail]").fill("Standing pouch full colour")
    first_row.locator("button:has-text('Simpan hasil')").click()
    page.wait_for_selector("text=Standing pouch full colour")
    assert Outcome.objects.get().kind == "packaging"

    run = cycle.runs.get()
    assert selection_replay(run=run)[0]
