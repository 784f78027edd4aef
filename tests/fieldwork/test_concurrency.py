"""Copies of one submission arriving at the same moment (Collect's retry racing the first
POST, or a split submission's parts) make exactly one row: the unique key and the lock."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from naikkelas.accounts.models import Role
from naikkelas.fieldwork.models import Submission
from naikkelas.fieldwork.services.forms import census_form_publish
from naikkelas.fieldwork.services.submissions import submission_receive
from tests.conftest import load_reference_data, make_user


@pytest.mark.django_db(transaction=True)
def test_simultaneous_copies_make_one_submission() -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memory"):
        pytest.skip("the in-memory test database is one shared connection cache")
    load_reference_data()
    form, _new = census_form_publish(actor=None, validate=False)
    user = make_user(Role.ENUMERATOR, "enum-race")
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = (
        f'<data id="{form.form_id}" version="{form.version}"><consent>ya</consent>'
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def send() -> None:
        try:
            start.wait()
            statuses.append(submission_receive(user=user, xml=xml).status)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(statuses) == [201] + [202] * 7
    submission = Submission.objects.get(instance_id=instance_id)
    assert submission.posts == 8
