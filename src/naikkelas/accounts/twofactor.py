"""TOTP (RFC 6238) and recovery codes: pure helpers around pyotp and segno, no Django.

Codes are 6 digits for 30-second steps; one step of clock drift either way is accepted
(``VALID_WINDOW``). ``matching_step`` returns the step a code belongs to, so that the caller
can refuse a code already used (RFC 6238 §5.2: a verifier must not accept the same OTP twice).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import time

import pyotp
import segno

DIGITS = 6
INTERVAL = 30
VALID_WINDOW = 1
ISSUER = "naikkelas"

RECOVERY_CODE_COUNT = 8
# No 0/o, 1/l/i: codes are copied from paper by hand.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS = 3
RECOVERY_GROUP_LENGTH = 4


def new_secret() -> str:
    """A random base32 secret of 160 bits (the RFC 4226 recommendation)."""
    return pyotp.random_base32(length=32)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)


def provisioning_uri(secret: str, *, account: str, issuer: str = ISSUER) -> str:
    """The ``otpauth://totp/...`` URI authenticator apps read from the QR code."""
    return _totp(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg_data_uri(text: str, *, scale: int = 5) -> str:
    """``text`` as a QR code, an SVG image in a base64 ``data:`` URI for ``<img src>``.

    The CSP allows ``img-src 'self' data:``; the SVG has no script and no style attribute.
    """
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=scale, border=4, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def current_code(secret: str, *, at: float | None = None) -> str:
    """The code for the moment ``at`` (default now); for tests and documentation."""
    return _totp(secret).at(time.time() if at is None else at)


def time_step(at: float) -> int:
    return int(at // INTERVAL)


def clean_code(code: str) -> str:
    """What the person typed, without spaces or dashes (``"123 456"`` → ``"123456"``)."""
    return "".join(code.split()).replace("-", "")


def matching_step(
    secret: str, code: str, *, at: float | None = None, after_step: int | None = None
) -> int | None:
    """The 30-second step whose code ``code`` is, within ``VALID_WINDOW`` steps of ``at``.

    Steps up to and including ``after_step`` (the last accepted one) never match, so a code
    cannot be used twice. ``None`` when nothing matches.
    """
    typed = clean_code(code)
    if len(typed) != DIGITS or not typed.isdigit():
        return None
    now = time_step(time.time() if at is None else at)
    totp = _totp(secret)
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """``count`` random codes like ``"k7mq-2xwd-9hta"`` (about 59 bits each)."""
    return [
        "-".join(
            "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
            for _ in range(RECOVERY_GROUPS)
        )
        for _ in range(count)
    ]


def normalise_recovery_code(code: str) -> str:
    """Lower case, without spaces and dashes: ``"K7MQ 2XWD-9HTA"`` → ``"k7mq2xwd9hta"``."""
    return clean_code(code).lower()


def looks_like_recovery_code(code: str) -> bool:
    typed = normalise_recovery_code(code)
    return len(typed) == RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH and all(
        char in RECOVERY_ALPHABET for char in typed
    )


def hash_recovery_code(code: str) -> str:
    """SHA-256 of the normalised code: what is stored instead of the code."""
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()
