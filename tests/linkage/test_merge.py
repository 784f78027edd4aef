"""Merge and unmerge: child rows move generically, collisions keep the survivor's row, and an
unmerge restores both records and every row exactly (or refuses with the reason)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import models

from naikkelas.accounts.models import Role
from naikkelas.core.audit import mask_name
from naikkelas.core.exceptions import ApplicationError
from naikkelas.core.models import AuditEvent
from naikkelas.linkage.models import (
    AlternateIdentifier,
    CandidateStatus,
    Decision,
    MatchCandidate,
    MatchLevel,
    MatchSource,
    MergeRecord,
)
from naikkelas.linkage.services import (
    business_merge,
    business_unmerge,
    match_candidate_record,
    owner_merge,
    owner_unmerge,
    person_linkage_erase,
)
from naikkelas.privacy.models import Consent
from naikkelas.privacy.services import consent_record, owner_anonymise
from naikkelas.registry import services
from naikkelas.registry.models import (
    Business,
    BusinessAssignment,
    BusinessOwner,
    BusinessStatus,
    MarketChannel,
    Membership,
    Owner,
    OwnerRole,
    Permit,
    YearlyFigure,
)
from tests.conftest import make_user
from tests.factories import make_business, make_owner, synthetic_nik

pytestmark = pytest.mark.django_db

OLD = datetime(2024, 1, 10, 8, 0, tzinfo=UTC)
NEW = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)

CHILD_MODELS: tuple[type[models.Model], ...] = (
    BusinessOwner,
    YearlyFigure,
    Permit,
    MarketChannel,
    Membership,
    BusinessAssignment,
    Consent,
    AlternateIdentifier,
)


def _row(instance: models.Model, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in skip
    }


def register_state() -> dict[str, Any]:
    """Every business, owner and child row as stored (a record's ``updated_at`` excepted:
    it records that the merge and the unmerge happened)."""
    state: dict[str, Any] = {}
    for model in (Business, Owner):
        for record in model._base_manager.all():
            state[f"{model._meta.label}:{record.pk}"] = _row(record, skip=("updated_at",))
    for model in CHILD_MODELS:
        for row in model._base_manager.all():
            state[f"{model._meta.label}:{row.pk}"] = _row(row)
    return state


def set_updated(record: models.Model, when: datetime) -> None:
    type(record)._base_manager.filter(pk=record.pk).update(updated_at=when)
    record.refresh_from_db()


def register_import(*, owner: Owner, **data: Any) -> Business:
    """A business as a spreadsheet import brings it (unverified unless it has a NIB)."""
    fields = {"sector": "kuliner", "desa_kelurahan": "36.73.06.1005", **data}
    return services.business_register(actor=None, owner=owner, data=fields, source="import")


@pytest.fixture
def enumerator(db: Any) -> Any:
    return make_user(Role.ENUMERATOR)


@pytest.fixture
def duplicates(dinas_user: Any, enumerator: Any) -> dict[str, Any]:
    """Two records of one business, with rows that move and rows that collide."""
    shared = make_owner(full_name="Dedi Kurniawan")
    owner_a = make_owner(full_name="Iyah Rohayah")
    owner_b = make_owner(full_name="Iyah Rohayati")
    a = make_business(
        dinas_user, owner=owner_a, name="Emping Melinjo Bu Iyah", phone="0812-0000-1111"
    )
    b = register_import(
        owner=owner_b,
        name="Emping Bu Iyah",
        phone="0812-0000-2222",
        nib="9120001234567",
        email="emping@example.org",
    )
    for business in (a, b):
        BusinessOwner.objects.create(
            business=business, owner=shared, role=OwnerRole.PEMILIK_BERSAMA
        )
        BusinessAssignment.objects.create(business=business, user=enumerator)
    services.yearly_figure_set(
        actor=None, business=a, year=2023, omzet=120_000_000, modal=20_000_000, workers=2
    )
    services.yearly_figure_set(
        actor=None, business=b, year=2023, omzet=150_000_000, modal=25_000_000, workers=3
    )
    services.yearly_figure_set(
        actor=None, business=b, year=2024, omzet=3_000_000_000, modal=600_000_000, workers=8
    )
    services.permit_add(actor=None, business=a, kind="HALAL", number="ID36110000123450124")
    services.permit_add(
        actor=None,
        business=b,
        kind="SPP_IRT",
        number="2063673010123-27",
        issued_on=date(2022, 2, 1),
        expires_on=date(2027, 2, 1),
    )
    services.channel_add(actor=None, business=b, kind="MARKETPLACE", name="Shopee")
    services.membership_set(actor=None, business=a, number="HPK-0001", since=date(2021, 1, 5))
    services.membership_set(actor=None, business=b, number="HPK-0002", since=date(2022, 7, 1))
    set_updated(a, OLD)
    set_updated(b, NEW)
    return {"a": a, "b": b, "owner_a": owner_a, "owner_b": owner_b, "shared": shared}


def test_business_merge_moves_rows_and_keeps_the_survivors_on_collision(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    a, b = duplicates["a"], duplicates["b"]
    b_membership = Membership.objects.get(business=b).pk
    b_figure_2023 = YearlyFigure.objects.get(business=b, year=2023).pk
    # when
    merge = business_merge(actor=dinas_user, survivor=a, merged=b, reason="data ganda")
    # then the merged record points at the survivor
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.status, b.merged_into_id) == (BusinessStatus.MERGED, a.pk)
    # values: the survivor had no NIB or email (non-blank wins); both records are verified
    # (officer entry, NIB) and the merged one is newer, so its name and phone win
    assert a.nib == "9120001234567"
    assert a.email == "emping@example.org"
    assert a.name == "Emping Bu Iyah"
    assert a.phone == "+6281200002222"
    assert a.size_class == YearlyFigure.objects.get(business=a, year=2024).size_class
    assert a.size_class_year == 2024
    # rows that do not collide move
    assert set(Permit.objects.filter(business=a).values_list("kind", flat=True)) == {
        "HALAL",
        "SPP_IRT",
    }
    assert MarketChannel.objects.filter(business=a).count() == 1
    assert sorted(YearlyFigure.objects.filter(business=a).values_list("year", flat=True)) == [
        2023,
        2024,
    ]
    # collisions keep the survivor's row: its 2023 figure, its membership; the merged
    # record's are removed (kept in the snapshot)
    assert YearlyFigure.objects.get(business=a, year=2023).omzet == 120_000_000
    assert not YearlyFigure.objects.filter(pk=b_figure_2023).exists()
    assert Membership.objects.get(business=a).number == "HPK-0001"
    assert not Membership.objects.filter(pk=b_membership).exists()
    assert Business.objects.get(pk=b.pk).ownerships.count() == 0
    # the second main owner stays on as co-owner; the shared co-owner is there once
    roles = dict(BusinessOwner.objects.filter(business=a).values_list("owner_id", "role"))
    assert roles == {
        duplicates["owner_a"].pk: OwnerRole.PEMILIK,
        duplicates["owner_b"].pk: OwnerRole.PEMILIK_BERSAMA,
        duplicates["shared"].pk: OwnerRole.PEMILIK_BERSAMA,
    }
    assert BusinessAssignment.objects.filter(business=a).count() == 1
    # every losing identifier is kept with the survivor
    alternates = set(
        AlternateIdentifier.objects.filter(business=a).values_list("kind", "value", "merge")
    )
    assert alternates == {
        ("name", "Emping Melinjo Bu Iyah", merge.pk),
        ("phone", "+6281200001111", merge.pk),
    }
    kinds = {entry["model"] for entry in merge.snapshot["removed"]}
    assert kinds == {
        "registry.yearlyfigure",
        "registry.membership",
        "registry.businessowner",
        "registry.businessassignment",
    }


def test_business_unmerge_restores_both_records_and_every_row_exactly(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    # given
    a, b = duplicates["a"], duplicates["b"]
    before = register_state()
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    assert register_state() != before
    # when
    business_unmerge(actor=dinas_user, merge=merge)
    # then
    assert register_state() == before
    merge.refresh_from_db()
    assert merge.unmerged_at is not None
    assert merge.unmerged_by == dinas_user
    assert not AlternateIdentifier.objects.exists()
    # the pair is remembered as different: the engine will not propose it again
    remembered = MatchCandidate.objects.get(level=MatchLevel.BUSINESS)
    assert (remembered.status, remembered.decision) == (
        CandidateStatus.DECIDED,
        Decision.DIFFERENT,
    )
    assert (
        match_candidate_record(
            level="business",
            left=a,
            right=b,
            probability=0.9,
            weight=5.0,
            explanation={},
            source=MatchSource.BATCH,
        )
        is None
    )


def test_merge_and_unmerge_are_audited_with_ids_only(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    a, b = duplicates["a"], duplicates["b"]
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    business_unmerge(actor=dinas_user, merge=merge)
    merges = AuditEvent.objects.filter(action="business.merge")
    assert {(e.object_id, e.extra["role"]) for e in merges} == {
        (str(a.pk), "survivor"),
        (str(b.pk), "merged"),
    }
    survivor_event = merges.get(object_id=str(a.pk))
    assert survivor_event.actor == dinas_user
    assert survivor_event.extra["merge"] == str(merge.pk)
    assert survivor_event.extra["merged"] == str(b.pk)
    assert survivor_event.changes["nib"] == [None, "9120001234567"]
    assert set(
        AuditEvent.objects.filter(action="business.unmerge").values_list("object_id", flat=True)
    ) == {str(a.pk), str(b.pk)}


def test_earlier_merges_into_the_merged_record_follow_it_and_come_back(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    # given C merged into B earlier (its alternates live on B)
    a, b = duplicates["a"], duplicates["b"]
    c = make_business(dinas_user, name="Emping Iyah", phone="0812-0000-3333")
    first = business_merge(actor=dinas_user, survivor=b, merged=c)
    assert AlternateIdentifier.objects.filter(business=b).exists()
    before = register_state()
    # when B is merged into A
    second = business_merge(actor=dinas_user, survivor=a, merged=b)
    # then C points at the active record directly, and B's alternates moved along
    c.refresh_from_db()
    assert c.merged_into_id == a.pk
    assert not AlternateIdentifier.objects.filter(business=b).exists()
    # the first merge cannot be undone while its survivor is merged into A
    with pytest.raises(ApplicationError) as caught:
        business_unmerge(actor=dinas_user, merge=first)
    assert caught.value.code == "unmerge_survivor_merged"
    # last merged, first unmerged
    business_unmerge(actor=dinas_user, merge=second)
    assert register_state() == before
    business_unmerge(actor=dinas_user, merge=first)
    c.refresh_from_db()
    assert (c.status, c.merged_into_id) == (BusinessStatus.ACTIVE, None)


def test_pending_candidates_of_the_merged_record_are_superseded_then_reopened(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    a, b = duplicates["a"], duplicates["b"]
    other = make_business(dinas_user, name="Keripik Emping Iyah")
    candidate = match_candidate_record(
        level="business",
        left=b,
        right=other,
        probability=0.7,
        weight=2.0,
        explanation={},
        source=MatchSource.BATCH,
    )
    assert candidate is not None
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.SUPERSEDED
    business_unmerge(actor=dinas_user, merge=merge)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_refuses_to_merge_a_record_into_itself_or_a_merged_record(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    a, b = duplicates["a"], duplicates["b"]
    c = make_business(dinas_user, name="Emping Iyah")
    with pytest.raises(ApplicationError) as caught:
        business_merge(actor=dinas_user, survivor=a, merged=a)
    assert caught.value.code == "merge_same_record"
    business_merge(actor=dinas_user, survivor=a, merged=b)
    for survivor, merged in ((b, c), (c, b), (a, b)):
        with pytest.raises(ApplicationError) as caught:
            business_merge(actor=dinas_user, survivor=survivor, merged=merged)
        assert caught.value.code == "merge_already_merged"
    assert MergeRecord.objects.count() == 1


def test_unmerge_refuses_twice(dinas_user: Any, duplicates: dict[str, Any]) -> None:
    merge = business_merge(actor=dinas_user, survivor=duplicates["a"], merged=duplicates["b"])
    business_unmerge(actor=dinas_user, merge=merge)
    with pytest.raises(ApplicationError) as caught:
        business_unmerge(actor=dinas_user, merge=merge)
    assert caught.value.code == "unmerge_done"


def test_unmerge_refuses_when_a_field_the_merge_set_was_changed_since(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    a, b = duplicates["a"], duplicates["b"]
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    services.business_update(actor=dinas_user, business=a, data={"phone": "0812-0000-4444"})
    with pytest.raises(ApplicationError) as caught:
        business_unmerge(actor=dinas_user, merge=merge)
    assert caught.value.code == "unmerge_record_changed"
    assert "telepon usaha" in caught.value.message
    b.refresh_from_db()
    assert b.status == BusinessStatus.MERGED


def test_unmerge_keeps_later_edits_of_fields_the_merge_did_not_touch(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    a, b = duplicates["a"], duplicates["b"]
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    services.business_update(actor=dinas_user, business=a, data={"products": "emping pedas"})
    business_unmerge(actor=dinas_user, merge=merge)
    a.refresh_from_db()
    assert a.products == "emping pedas"
    assert a.phone == "+6281200001111"


def test_unmerge_refuses_when_a_moved_row_was_removed_since(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    a, b = duplicates["a"], duplicates["b"]
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    services.permit_remove(actor=dinas_user, permit=Permit.objects.get(kind="SPP_IRT"))
    with pytest.raises(ApplicationError) as caught:
        business_unmerge(actor=dinas_user, merge=merge)
    assert caught.value.code == "unmerge_rows_changed"


def test_unmerge_refuses_when_the_merged_records_nib_was_taken_since(dinas_user: Any) -> None:
    # given B (NIB n) merged into A (its own NIB): A keeps its NIB, n is freed
    a = make_business(dinas_user, nib="9120001111111")
    b = make_business(dinas_user, nib="9120002222222")
    set_updated(a, NEW)
    set_updated(b, OLD)
    merge = business_merge(actor=dinas_user, survivor=a, merged=b)
    assert AlternateIdentifier.objects.filter(kind="nib", value="9120002222222").exists()
    make_business(dinas_user, nib="9120002222222")
    # when / then
    with pytest.raises(ApplicationError) as caught:
        business_unmerge(actor=dinas_user, merge=merge)
    assert caught.value.code == "unmerge_conflict"
    b.refresh_from_db()
    assert b.status == BusinessStatus.MERGED


# ---------------------------------------------------------------------------------------------
# Owners
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def owner_duplicates(dinas_user: Any) -> dict[str, Any]:
    """One person twice: an imported record without NIK, and an officer's record with it."""
    nik = synthetic_nik(female=True)
    imported = services.owner_create(
        actor=None,
        full_name="Siti Rohmah",
        phone="0812-0000-5555",
        address="Kp. Kalodran",
        source="import",
    )
    typed = make_owner(dinas_user, full_name="Hj. Siti Rohmah", nik=nik, phone="0812-0000-6666")
    # the typed record runs two businesses; the imported one co-owns the first
    first = make_business(dinas_user, owner=typed, name="Kue Basah Bu Siti")
    second = make_business(dinas_user, owner=typed, name="Katering Siti")
    BusinessOwner.objects.create(business=first, owner=imported, role=OwnerRole.PEMILIK_BERSAMA)
    own = make_business(dinas_user, owner=imported, name="Warung Siti")
    consent_record(actor=dinas_user, owner=typed, method="officer", given_by="Siti Rohmah")
    set_updated(imported, OLD)
    set_updated(typed, NEW)
    return {
        "imported": imported,
        "typed": typed,
        "nik": nik,
        "first": first,
        "second": second,
        "own": own,
    }


def test_owner_merge_moves_ownerships_and_takes_the_nik(
    dinas_user: Any, owner_duplicates: dict[str, Any]
) -> None:
    imported, typed = owner_duplicates["imported"], owner_duplicates["typed"]
    # when the verified record is merged into the imported one (the officer chose so)
    merge = owner_merge(actor=dinas_user, survivor=imported, merged=typed)
    # then the survivor has the NIK while the merged record keeps it too (allowed: the NIK is
    # unique among active owners only)
    imported.refresh_from_db()
    typed.refresh_from_db()
    assert imported.nik == typed.nik == owner_duplicates["nik"]
    assert typed.merged_into_id == imported.pk
    assert imported.full_name == "Hj. Siti Rohmah"
    links = dict(BusinessOwner.objects.filter(owner=imported).values_list("business_id", "role"))
    assert links == {
        owner_duplicates["first"].pk: OwnerRole.PEMILIK,  # promoted from co-owner
        owner_duplicates["second"].pk: OwnerRole.PEMILIK,
        owner_duplicates["own"].pk: OwnerRole.PEMILIK,
    }
    assert not BusinessOwner.objects.filter(owner=typed).exists()
    assert Consent.objects.get().owner_id == imported.pk
    assert {(k, v) for k, v in imported.alternate_identifiers.values_list("kind", "value")} == {
        ("name", "Siti Rohmah"),
        ("phone", "+6281200005555"),
        ("address", "Kp. Kalodran"),
    }
    assert [entry["model"] for entry in merge.snapshot["adjusted"]] == ["registry.businessowner"]


def test_owner_unmerge_restores_exactly(dinas_user: Any, owner_duplicates: dict[str, Any]) -> None:
    before = register_state()
    merge = owner_merge(
        actor=dinas_user, survivor=owner_duplicates["imported"], merged=owner_duplicates["typed"]
    )
    owner_unmerge(actor=dinas_user, merge=merge)
    assert register_state() == before


def test_owner_merge_audit_masks_personal_data(
    dinas_user: Any, owner_duplicates: dict[str, Any]
) -> None:
    imported, typed = owner_duplicates["imported"], owner_duplicates["typed"]
    owner_merge(actor=dinas_user, survivor=imported, merged=typed)
    events = AuditEvent.objects.filter(action="owner.merge")
    assert events.count() == 2
    for event in events:
        text = f"{event.changes} {event.extra} {event.object_repr}"
        assert owner_duplicates["nik"] not in text
        assert "6281200006666" not in text
        assert "Siti Rohmah" not in text
        assert event.object_repr == mask_name("Hj. Siti Rohmah")


def test_owner_account_follows_the_person_and_comes_back(
    dinas_user: Any, owner_duplicates: dict[str, Any]
) -> None:
    imported, typed = owner_duplicates["imported"], owner_duplicates["typed"]
    account = make_user(Role.OWNER, "pemilik-siti")
    Owner.objects.filter(pk=typed.pk).update(user=account)
    before = register_state()
    merge = owner_merge(actor=dinas_user, survivor=imported, merged=typed)
    imported.refresh_from_db()
    assert imported.user_id == account.pk
    owner_unmerge(actor=dinas_user, merge=merge)
    assert register_state() == before


def test_owner_merge_refuses_two_accounts_and_anonymised_owners(
    dinas_user: Any, owner_duplicates: dict[str, Any]
) -> None:
    imported, typed = owner_duplicates["imported"], owner_duplicates["typed"]
    Owner.objects.filter(pk=imported.pk).update(user=make_user(Role.OWNER, "pemilik-1"))
    Owner.objects.filter(pk=typed.pk).update(user=make_user(Role.OWNER, "pemilik-2"))
    with pytest.raises(ApplicationError) as caught:
        owner_merge(actor=dinas_user, survivor=imported, merged=typed)
    assert caught.value.code == "merge_two_accounts"
    Owner.objects.filter(pk=imported.pk).update(user=None)
    owner_anonymise(actor=dinas_user, owner=Owner.objects.get(pk=imported.pk))
    with pytest.raises(ApplicationError) as caught:
        owner_merge(actor=dinas_user, survivor=typed, merged=imported)
    assert caught.value.code == "merge_anonymised"
    assert not MergeRecord.objects.exists()


def test_owner_unmerge_refuses_when_the_nik_is_taken_by_an_active_owner_since(
    dinas_user: Any,
) -> None:
    # given two owners with different NIKs; the survivor keeps its own, the other is freed
    survivor = make_owner(dinas_user)
    merged = make_owner(dinas_user)
    set_updated(survivor, NEW)
    set_updated(merged, OLD)
    merge = owner_merge(actor=dinas_user, survivor=survivor, merged=merged)
    assert AlternateIdentifier.objects.filter(kind="nik", value=merged.nik).exists()
    services.owner_create(actor=dinas_user, full_name="Orang Lain", nik=merged.nik)
    with pytest.raises(ApplicationError) as caught:
        owner_unmerge(actor=dinas_user, merge=merge)
    assert caught.value.code == "unmerge_conflict"


def test_unmerge_of_the_wrong_level_is_a_programming_error(
    dinas_user: Any, owner_duplicates: dict[str, Any]
) -> None:
    merge = owner_merge(
        actor=dinas_user, survivor=owner_duplicates["imported"], merged=owner_duplicates["typed"]
    )
    with pytest.raises(ValueError, match="business"):
        business_unmerge(actor=dinas_user, merge=merge)


# ---------------------------------------------------------------------------------------------
# Deleting a person's data (UU 27/2022)
# ---------------------------------------------------------------------------------------------


def test_erasing_a_person_removes_their_alternates_and_redacts_snapshots(
    dinas_user: Any, owner_duplicates: dict[str, Any], duplicates: dict[str, Any]
) -> None:
    # given an owner merge (the person's old name, phone, address kept as alternates) and a
    # business merge of a business another person runs (its old phone kept)
    imported, typed = owner_duplicates["imported"], owner_duplicates["typed"]
    owner_merge_record = owner_merge(actor=dinas_user, survivor=imported, merged=typed)
    business_merge_record = business_merge(
        actor=dinas_user, survivor=duplicates["a"], merged=duplicates["b"]
    )
    business_alternates = set(
        AlternateIdentifier.objects.filter(business__isnull=False).values_list("kind", flat=True)
    )
    # when the person asks for deletion (owner_anonymise erases linkage's copies through
    # the privacy.signals.owner_anonymising signal, before it blanks the owner)
    owner_anonymise(actor=dinas_user, owner=imported)
    # then nothing of them is left in linkage; the other person's business is untouched
    assert not AlternateIdentifier.objects.filter(owner__isnull=False).exists()
    owner_merge_record.refresh_from_db()
    text = str(owner_merge_record.snapshot)
    for value in (owner_duplicates["nik"], "6281200005555", "6281200006666", "Siti"):
        assert value not in text
    with pytest.raises(ApplicationError) as caught:
        owner_unmerge(actor=dinas_user, merge=owner_merge_record)
    assert caught.value.code == "unmerge_redacted"
    assert business_alternates == set(
        AlternateIdentifier.objects.filter(business__isnull=False).values_list("kind", flat=True)
    )
    business_merge_record.refresh_from_db()
    assert "redacted" not in business_merge_record.snapshot
    event = AuditEvent.objects.get(action="linkage.erase")
    assert event.extra == {"alternates": 3, "snapshots": 1, "index_rows": 0}


def test_erasing_the_main_owner_removes_their_businesses_contact_alternates(
    dinas_user: Any, duplicates: dict[str, Any]
) -> None:
    business_merge(actor=dinas_user, survivor=duplicates["a"], merged=duplicates["b"])
    person_linkage_erase(actor=dinas_user, owner=duplicates["owner_a"])
    kinds = set(AlternateIdentifier.objects.values_list("kind", flat=True))
    assert kinds == {"name"}  # the business's old name is not the person's data
    merge = MergeRecord.objects.get()
    assert merge.snapshot["redacted"] is True
    assert "+6281200001111" not in str(merge.snapshot)
