"""The workflow rules and tracking codes as pure functions."""

from __future__ import annotations

import pytest

from naikkelas.kendala import workflow as wf


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("baru", "ditelaah"),
        ("baru", "ditindaklanjuti"),
        ("ditelaah", "ditindaklanjuti"),
        ("ditindaklanjuti", "selesai"),
        ("ditelaah", "selesai"),
        ("ditindaklanjuti", "tidak_dapat"),
        ("baru", "tidak_dapat"),
    ],
)
def test_allowed_transitions_with_a_response(current: str, target: str) -> None:
    assert wf.transition_refusal(current, target, has_response=True) is None


@pytest.mark.parametrize(
    ("current", "target", "reason"),
    [
        ("baru", "selesai", wf.NOT_ALLOWED),  # not before someone looked at it
        ("ditindaklanjuti", "baru", wf.NOT_ALLOWED),
        ("ditindaklanjuti", "ditelaah", wf.NOT_ALLOWED),
        ("selesai", "ditelaah", wf.NOT_ALLOWED),  # closed stays closed
        ("tidak_dapat", "selesai", wf.NOT_ALLOWED),
        ("baru", "baru", wf.NOT_ALLOWED),
        ("baru", "diproses", wf.UNKNOWN_STATUS),
        ("ditelaah", "selesai", None),
    ],
)
def test_refused_transitions(current: str, target: str, reason: str | None) -> None:
    assert wf.transition_refusal(current, target, has_response=True) == reason


def test_closing_needs_a_response_but_moving_on_does_not() -> None:
    assert wf.transition_refusal("ditindaklanjuti", "selesai", has_response=False) == (
        wf.RESPONSE_REQUIRED
    )
    assert wf.transition_refusal("baru", "tidak_dapat", has_response=False) == (
        wf.RESPONSE_REQUIRED
    )
    assert wf.transition_refusal("baru", "ditelaah", has_response=False) is None


def test_every_status_has_its_next_steps_in_order() -> None:
    assert wf.next_statuses("baru") == ["ditelaah", "ditindaklanjuti", "tidak_dapat"]
    assert wf.next_statuses("selesai") == []
    assert set(wf.TRANSITIONS) == set(wf.STATUSES)
    assert wf.OPEN | wf.CLOSED == set(wf.STATUSES)


def test_tracking_codes_are_unambiguous_and_typed_loosely() -> None:
    codes = {wf.tracking_code_new() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert code.startswith("K") and code[5] == "-" and len(code) == 10
        assert not set(code) & set("01IO")
        assert wf.tracking_code_normalise(code) == code
        assert wf.tracking_code_normalise(code.lower().replace("-", " ")) == code
        assert wf.tracking_code_normalise(code[1:].replace("-", "")) == code
    assert wf.tracking_code_normalise("TIDAKADA") == ""  # I is not in the alphabet
    assert wf.tracking_code_normalise("K123") == ""
    assert wf.tracking_code_normalise("") == ""
