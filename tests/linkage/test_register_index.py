"""The stored blocking index of the online check (``linkage.services.register_index``).

It must give the check exactly what featurising the whole register would (the same
candidates, the same probabilities, the same caps), and follow every change of the register
without any write path calling it: creations, edits, owner edits, merges and unmerges,
erasures, and commits that land late.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.utils import timezone

from naikkelas.linkage.candidates import RegisterIndex
from naikkelas.linkage.model import blocking_keys
from naikkelas.linkage.models import RegisterIndexState, RegisterKey, RegisterRow
from naikkelas.linkage.services import business_merge, business_unmerge
from naikkelas.linkage.services.register_index import (
    SYNC_SLACK,
    IndexBuildRunningError,
    key_hash,
    register_index_ready,
    register_index_rebuild,
    register_index_sync,
)
from naikkelas.linkage.tasks import register_index_build_task
from naikkelas.privacy.services import owner_anonymise
from naikkelas.registry.models import Business, BusinessOwner, Owner, OwnerRole
from naikkelas.registry.services import business_update, owner_update
from naikkelas.registry.services.demo import demo_register_load
from tests.conftest import load_reference_data
from tests.factories import make_business, make_owner, synthetic_nik

pytestmark = pytest.mark.django_db
KALANGANYAR = "36.73.06.1005"


@pytest.fixture
def register() -> None:
    load_reference_data()
    demo_register_load(businesses=300, seed=7)
    # 35 "Siti Aminah" in one kelurahan: her owner_kel key is over every cap
    for number in range(35):
        make_business(
            owner=make_owner(full_name="Siti Aminah", phone=f"0812-0000-{7000 + number}"),
            name=f"Warung Siti {number}",
            desa_kelurahan=KALANGANYAR,
        )


def typed_records(count: int, seed: int) -> list[dict[str, Any]]:
    """Records typed anew for register businesses (variants of their own values) and a few
    new ones."""
    rng = random.Random(seed)
    main = BusinessOwner.objects.filter(role=OwnerRole.PEMILIK).select_related("business", "owner")
    chosen = rng.sample(list(main), count)
    records = []
    for ownership in chosen:
        business, owner = ownership.business, ownership.owner
        records.append(
            {
                "owner_name": owner.full_name.upper() if rng.random() < 0.5 else owner.full_name,
                "nik": owner.nik or "",
                "business_name": business.name.replace("Warung", "Wr."),
                "phone": owner.phone if rng.random() < 0.5 else "",
                "address": business.address,
                "kelurahan": business.desa_kelurahan_id or "",
                "sector": business.sector_id or "",
                "nib": "",
            }
        )
    records.append(
        {"owner_name": "Siti Aminah", "business_name": "Warung Siti 3", "kelurahan": KALANGANYAR}
    )
    records.append({"owner_name": "Nama Baru Sekali", "business_name": "Usaha Baru"})
    return records


def answers(index: RegisterIndex, record: dict[str, Any], *, prefetched: bool) -> list[Any]:
    row = index.features(record)
    return [
        (c.business_id, round(c.same_business_probability, 9), round(c.same_owner_probability, 9))
        for c in index.candidates(row, prefetched=prefetched, minimum=0.0)
    ]


def whole_register_index() -> RegisterIndex:
    """The reference: every active business featurised in memory, no stored index."""
    index = RegisterIndex(use_stored_index=False)
    index._query(Q())
    return index


def test_the_stored_index_gives_what_the_whole_register_in_memory_gives(register) -> None:
    written = register_index_rebuild()
    assert written == Business.objects.exclude(status="merged").count() == 335
    assert register_index_ready()
    reference = whole_register_index()
    records = typed_records(40, seed=1)
    found_any = 0
    for record in records:
        stored = answers(RegisterIndex(), record, prefetched=False)
        assert stored == answers(reference, record, prefetched=True), record
        found_any += bool(stored)
    assert found_any >= 35  # the re-typed businesses are found


def test_keys_over_their_cap_are_not_read(register) -> None:
    register_index_rebuild()
    index = RegisterIndex()
    row = index.features(
        {"owner_name": "Siti Aminah", "business_name": "Toko Lain", "kelurahan": KALANGANYAR}
    )
    index.prefetch([row])
    assert ("owner_kel", "siti aminah", "3673061005") in index._over_cap
    assert index._blocked(row) == set()


def test_one_import_chunk_reads_once(register, django_assert_max_num_queries) -> None:
    register_index_rebuild()
    index = RegisterIndex()
    rows = [index.features(r) for r in typed_records(30, seed=2)]
    with django_assert_max_num_queries(12):
        index.prefetch(rows)
    with django_assert_max_num_queries(6):  # sync only: every key was read already
        index._use_stored = None
        index.prefetch(rows)


def test_stored_rows_and_keys_are_the_features_of_the_register(register) -> None:
    register_index_rebuild()
    reference = whole_register_index()
    stored = dict(RegisterRow.objects.values_list("business_id", "row"))
    assert stored.keys() == reference._rows.keys()
    for business_id, text in stored.items():
        row = tuple(json.loads(text))
        assert row == reference.row_of(business_id)
        expected = sorted(key_hash(k) for k in blocking_keys(row))
        keys = RegisterKey.objects.filter(business_id=business_id).values_list("key", flat=True)
        assert sorted(keys) == expected


def found_ids(record: dict[str, Any]) -> set[Any]:
    index = RegisterIndex()
    return {c.business_id for c in index.candidates(index.features(record), minimum=0.0)}


def test_changes_of_the_register_reach_the_index_before_the_next_check(db) -> None:
    load_reference_data()
    register_index_rebuild()
    nik = synthetic_nik(female=True)
    iyah = make_owner(full_name="Iyah Rohayati", nik=nik, sex="P")
    emping = make_business(owner=iyah, name="Emping Melinjo Iyah", desa_kelurahan=KALANGANYAR)
    record = {"owner_name": "Iyah Rohayati", "business_name": "Emping Iyah", "nik": nik}
    # created after the build: found
    assert emping.pk in found_ids(record)
    assert RegisterRow.objects.filter(business=emping).exists()

    # the business renamed and moved: its row and keys follow
    business_update(
        actor=None,
        business=emping,
        data={"name": "Keripik Tempe Sanjai", "desa_kelurahan": "36.73.02.1007"},
    )
    assert register_index_sync() == 1
    row = tuple(json.loads(RegisterRow.objects.get(business=emping).row))
    assert row == whole_register_index().row_of(emping.pk)
    assert row[9] == "3673021007"
    keys = set(RegisterKey.objects.filter(business=emping).values_list("key", flat=True))
    assert keys == {key_hash(k) for k in blocking_keys(row)}
    assert emping.pk in found_ids({"business_name": "Keripik Tempe Sanjai", "nik": nik})

    # the owner renamed: the row follows
    owner_update(actor=None, owner=iyah, data={"full_name": "Iyah Sopiah"})
    assert register_index_sync() == 1
    row = tuple(json.loads(RegisterRow.objects.get(business=emping).row))
    assert row[1] == "iyah sopiah" and row == whole_register_index().row_of(emping.pk)
    assert register_index_sync() == 0
    assert RegisterIndexState.objects.get().rows == 1


def test_merges_and_unmerges_move_the_index(db, dinas_user) -> None:
    load_reference_data()
    owner = make_owner(full_name="Asep Saepudin")
    first = make_business(owner=owner, name="Bengkel Asep", sector="jasa")
    second = make_business(owner=owner, name="Bengkel Motor Asep", sector="jasa")
    register_index_rebuild()
    record = {"owner_name": "Asep Saepudin", "business_name": "Bengkel Asep", "nik": owner.nik}
    assert found_ids(record) == {first.pk, second.pk}
    merge = business_merge(actor=dinas_user, survivor=first, merged=second)
    assert found_ids(record) == {first.pk}
    assert not RegisterRow.objects.filter(business=second).exists()
    assert not RegisterKey.objects.filter(business=second).exists()
    business_unmerge(actor=dinas_user, merge=merge)
    assert found_ids(record) == {first.pk, second.pk}


def test_an_erased_owner_leaves_the_index_at_once(db, dinas_user) -> None:
    load_reference_data()
    owner = make_owner(full_name="Euis Komariah", sex="P", nik=synthetic_nik(female=True))
    business = make_business(owner=owner, name="Kue Basah Euis")
    register_index_rebuild()
    owner_anonymise(actor=dinas_user, owner=owner)
    # nothing of the person is stored any more, before any sync
    assert not RegisterRow.objects.filter(business=business).exists()
    assert not RegisterKey.objects.filter(business=business).exists()
    register_index_sync()
    row = json.loads(RegisterRow.objects.get(business=business).row)
    assert row[3] is None and row[4] is None  # no NIK
    assert row[1] != "euis komariah"  # the business keeps its name, the person is gone
    assert "komariah" not in json.dumps(row)


def test_a_late_commit_inside_the_slack_is_still_read(db) -> None:
    load_reference_data()
    register_index_rebuild()
    business = make_business(owner=make_owner(full_name="Ujang Sudrajat"), name="Batik Ujang")
    # as if its transaction had stamped it before the last sync and committed after it
    stamp = RegisterIndexState.objects.get().synced_to - SYNC_SLACK / 2
    Business.objects.filter(pk=business.pk).update(updated_at=stamp)
    Owner.objects.filter(businesses=business).update(updated_at=stamp)
    BusinessOwner.objects.filter(business=business).update(created_at=stamp)
    assert register_index_sync() == 1
    assert RegisterRow.objects.filter(business=business).exists()
    assert register_index_sync() == 0  # read once, not again


def test_an_index_of_other_code_is_not_used_until_rebuilt(db) -> None:
    load_reference_data()
    owner = make_owner(full_name="Rahmat Hidayat")
    business = make_business(owner=owner, name="Laundry Rahmat")
    register_index_rebuild()
    RegisterIndexState.objects.update(version="older-release")
    assert not register_index_ready()
    assert register_index_sync() is None
    index = RegisterIndex()
    record = {"owner_name": "Rahmat Hidayat", "business_name": "Laundry Rahmat"}
    record["kelurahan"] = business.desa_kelurahan_id
    assert business.pk in {c.business_id for c in index.candidates(index.features(record))}
    assert index._use_stored is False  # the fallback answered
    assert register_index_build_task.call() == 1
    assert register_index_ready()
    assert register_index_build_task.call() == 0


def test_the_command_builds_reports_and_updates(db, capsys) -> None:
    load_reference_data()
    make_business(owner=make_owner(full_name="Agus Salim"), name="Mebel Agus")
    call_command("linkage_index", "--status")
    assert "no index" in capsys.readouterr().out
    call_command("linkage_index")
    assert "index built: 1 businesses" in capsys.readouterr().out
    call_command("linkage_index", "--status")
    assert "1 businesses" in capsys.readouterr().out
    make_business(owner=make_owner(full_name="Agus Salim"), name="Mebel Agus Dua")
    call_command("linkage_index", "--if-needed")
    assert "1 rows refreshed" in capsys.readouterr().out
    assert RegisterIndexState.objects.get().rows == 2
    RegisterIndexState.objects.update(version="older-release")
    call_command("linkage_index", "--if-needed")
    assert "index built: 2 businesses" in capsys.readouterr().out


def test_a_build_is_claimed_and_a_dead_one_is_taken_over(db) -> None:
    load_reference_data()
    make_business(owner=make_owner(full_name="Agus Salim"), name="Mebel Agus")
    now = timezone.now()
    RegisterIndexState.objects.create(version="building", built_at=now, synced_to=now)
    assert not register_index_ready()
    with pytest.raises(IndexBuildRunningError):
        register_index_rebuild()
    with pytest.raises(CommandError, match="not started"):
        call_command("linkage_index")
    # a build that started two hours ago and never finished: its worker died
    RegisterIndexState.objects.update(built_at=now - timedelta(hours=2))
    assert register_index_rebuild() == 1
    assert register_index_ready()


def test_an_import_leaves_the_index_in_step_with_the_register(db) -> None:  # noqa: ANN001
    from pathlib import Path

    from naikkelas.intake.services import import_batch_run, import_batch_stage

    # given a usable index of the register
    make_business(name="Warung Nasi Bu Eha")
    register_index_rebuild()
    # when a list is imported (the worker runs it)
    name = "google_form.csv"
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "intake"
    batch, _created = import_batch_stage(
        actor=None, path=fixtures / name, file_name=name, source=name
    )
    done = import_batch_run(actor=None, batch=batch)
    assert done.promoted > 0
    # then the businesses it created are in the stored index already: the next online
    # check has nothing to catch up on inside an officer's request
    active = Business.objects.exclude(status="merged").count()
    assert RegisterRow.objects.count() == active
    assert RegisterIndexState.objects.get().rows == active
    assert register_index_sync() == 0
