"""The kendala workflow as data: statuses, which step may follow which, tracking codes.

Pure Python (no Django), so the rules can be read and tested on their own::

    baru ──> ditelaah ──> ditindaklanjuti ──> selesai
      │          │              │
      │          └──> selesai   └──> tidak_dapat
      └──> ditindaklanjuti (an officer acts at once, e.g. a nomination)
      └──> tidak_dapat (not something the office can act on: spam, outside its remit)

``selesai`` and ``tidak_dapat`` close an item: closing needs a response the reporter can read,
and a closed item does not move again (a new obstacle is a new report).
"""

from __future__ import annotations

import secrets
from typing import Final

BARU: Final = "baru"
DITELAAH: Final = "ditelaah"
DITINDAKLANJUTI: Final = "ditindaklanjuti"
SELESAI: Final = "selesai"
TIDAK_DAPAT: Final = "tidak_dapat"

STATUSES: Final = (BARU, DITELAAH, DITINDAKLANJUTI, SELESAI, TIDAK_DAPAT)
OPEN: Final = frozenset({BARU, DITELAAH, DITINDAKLANJUTI})
CLOSED: Final = frozenset({SELESAI, TIDAK_DAPAT})

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    BARU: frozenset({DITELAAH, DITINDAKLANJUTI, TIDAK_DAPAT}),
    DITELAAH: frozenset({DITINDAKLANJUTI, SELESAI, TIDAK_DAPAT}),
    DITINDAKLANJUTI: frozenset({SELESAI, TIDAK_DAPAT}),
    SELESAI: frozenset(),
    TIDAK_DAPAT: frozenset(),
}

# Why a transition is refused (services word these for people).
UNKNOWN_STATUS: Final = "unknown_status"
NOT_ALLOWED: Final = "not_allowed"
RESPONSE_REQUIRED: Final = "response_required"


def next_statuses(current: str) -> list[str]:
    """The statuses an item in ``current`` may move to, in workflow order."""
    allowed = TRANSITIONS.get(current, frozenset())
    return [s for s in STATUSES if s in allowed]


def transition_refusal(current: str, target: str, *, has_response: bool) -> str | None:
    """``None`` when ``current -> target`` is allowed, else the reason code."""
    if target not in TRANSITIONS or current not in TRANSITIONS:
        return UNKNOWN_STATUS
    if target not in TRANSITIONS[current]:
        return NOT_ALLOWED
    if target in CLOSED and not has_response:
        return RESPONSE_REQUIRED
    return None


# Tracking codes for public reporters: read aloud over the phone or typed on a cheap keypad, so
# no 0/O and no 1/I; "K" marks a kendala (the self-registration codes start with "D").
CODE_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_PREFIX: Final = "K"
_CODE_BODY = 8


def tracking_code_new() -> str:
    """``"K7QF3-MX2A"``: 8 random characters (40 bits) behind the prefix."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(_CODE_BODY))
    return f"{CODE_PREFIX}{body[:4]}-{body[4:]}"


def tracking_code_normalise(text: str) -> str:
    """A code as people type it (lower case, spaces, with or without the dash or the prefix)
    in its stored form; ``""`` when it cannot be one."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    if raw.startswith(CODE_PREFIX) and len(raw) == 1 + _CODE_BODY:
        body = raw[1:]
    elif len(raw) == _CODE_BODY:
        body = raw
    else:
        return ""
    if any(ch not in CODE_ALPHABET for ch in body):
        return ""
    return f"{CODE_PREFIX}{body[:4]}-{body[4:]}"
