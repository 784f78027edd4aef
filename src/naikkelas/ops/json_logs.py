"""Logs without personal data (UU 27/2022), as text or as one JSON object per line.

``NAIKKELAS_LOG_FORMAT=json`` selects :class:`JsonFormatter` for the application's logs
(settings.LOGGING) and for gunicorn's (``naikkelas serve`` passes
:func:`gunicorn_log_config`); ``text`` (the default) keeps plain lines through
:class:`RedactingFormatter`. Both pass every message, its arguments and any traceback through
:func:`redact_personal`, which masks what can be recognised by its shape: NIK-like runs of
15 or more digits (also written in groups), Indonesian phone numbers, e-mail addresses and
ODK device keys in URLs. Names and addresses cannot be recognised this way: code must not log
them in the first place.

Pure standard library (gunicorn loads the formatter before Django is set up).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

# The ODK device key in Collect's server URL (``/odk/c/<key>/...``): the same pattern as
# gunicorn's access log (naikkelas.config.access_log), which this layer may not import.
DEVICE_KEY = re.compile(r"(/odk/c/)[^/?\s]+")
# Every character RFC 5322 allows in the local part ("o'brien", "a{b}"...).
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)+")
# Digit groups joined by one space, dot or dash: "3273010101010001", "3273 0101 0101 0001",
# "32.73.01.010101.0001", "01.234.567.8-901.000" (an NPWP).
DIGIT_GROUPS = re.compile(r"(?<![0-9])[0-9]+(?:[ .\-][0-9]+)*")
NIK_MIN_DIGITS = 15  # a NIK has 16, an old NPWP 15
# Indonesian phone numbers: +62 / 62 / a trunk 0 (no separator right after it, so that
# "0.123456789" stays a number), an operator or area code, then groups of digits.
PHONE = re.compile(
    r"(?<![0-9])(?<![0-9][.,])"  # not the middle or the decimals of another number
    r"(?:\+62[ .\-]?|62[ \-]?|\(0|0)[1-9][0-9]{1,3}\)?(?:[ .\-]?[0-9]{2,6}){1,4}"
    r"(?![0-9])"  # whole digit groups only
)
PHONE_DIGITS = (8, 12)  # the national number after 62 / 0
FIRST_DIGITS = re.compile(r"[0-9]+")

MASK_NIK = "[NIK]"
MASK_PHONE = "[PHONE]"
MASK_EMAIL = "[EMAIL]"


def _mask_digit_groups(match: re.Match[str]) -> str:
    text = match.group()
    digits = sum(c.isdigit() for c in text)
    if digits < NIK_MIN_DIGITS:
        return text
    whole, dot, fraction = text.partition(".")
    if (
        dot
        and whole.isdigit()
        and fraction.isdigit()
        and max(len(whole), len(fraction)) < NIK_MIN_DIGITS
    ):
        # A decimal number such as 12345678.9012345. One with 15 or more decimals (a float
        # printed in full, 0.30000000000000004) is masked all the same: "0." before a NIK
        # would otherwise let it through.
        return text
    return MASK_NIK


def _mask_phone(match: re.Match[str]) -> str:
    """Mask the longest leading part of the match that is a whole phone number (the pattern
    may run on into a following number: "081234567890 12 kali")."""
    text = match.group()
    prefix = 2 if text.startswith(("+62", "62")) else 1
    seen = 0
    end = 0
    for group in FIRST_DIGITS.finditer(text):
        seen += len(group.group())
        if seen - prefix > PHONE_DIGITS[1]:
            break
        if seen - prefix >= PHONE_DIGITS[0]:
            end = group.end()
    if end == 0:
        return text
    tail = text[end:]
    if tail.startswith(")"):
        tail = tail[1:]
    return MASK_PHONE + tail


def redact_personal(text: str) -> str:
    """``text`` with device keys, e-mail addresses, NIK-like numbers and phone numbers
    masked (in that order: a key or an address may contain digits)."""
    text = DEVICE_KEY.sub(r"\1***", text)
    text = EMAIL.sub(MASK_EMAIL, text)
    text = DIGIT_GROUPS.sub(_mask_digit_groups, text)
    return PHONE.sub(_mask_phone, text)


# The request being served (set by RequestIdMiddleware): ties log lines to one request.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "naikkelas_request_id", default=None
)
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._\-]{8,64}$")


def _forget_request_id(**kwargs: Any) -> None:
    request_id.set(None)


class RequestIdMiddleware:
    """Give every request an id for the logs and the ``X-Request-ID`` response header. Behind
    the trusted proxy (DJANGO_BEHIND_PROXY) the proxy's ``X-Request-ID`` is kept, so its
    logs and ours share the id.

    The id stays set until the response is closed (Django's ``request_finished``), not just
    until this middleware returns: Django logs 4xx/5xx responses ("Not Found: ...") and
    gunicorn its access line after the middleware chain, and those lines belong to the
    request too."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        from django.conf import settings
        from django.core.signals import request_finished

        self.get_response = get_response
        self.trust_incoming = bool(getattr(settings, "NAIKKELAS_BEHIND_PROXY", False))
        request_finished.connect(_forget_request_id, dispatch_uid="naikkelas-request-id")

    def __call__(self, request: Any) -> Any:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "") if self.trust_incoming else ""
        current = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request_id.set(current)
        response = self.get_response(request)
        response["X-Request-ID"] = current
        return response


# Attributes every LogRecord has; anything else came in through ``extra=``.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "request"}  # Django's request object: its URL may carry a query
)


def _scalar(value: Any) -> Any:
    if isinstance(value, str):
        return redact_personal(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return None


class RedactingFormatter(logging.Formatter):
    """The standard text formatter, with personal data masked in the whole line."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_personal(super().format(record))


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except (TypeError, ValueError):  # arguments that do not fit the format
        return f"{record.msg} {record.args!r}"


def _unquote(value: Any) -> Any:
    # gunicorn escapes double quotes in its atoms for the text format
    return value.replace('\\"', '"') if isinstance(value, str) else value


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """A gunicorn access log line as fields: no client address, user agent, referrer or
    query string (who visited is not kept in the logs)."""
    status = str(atoms.get("s", ""))
    fields: dict[str, Any] = {
        "http_method": _unquote(atoms.get("m")),
        "path": redact_personal(str(_unquote(atoms.get("U")) or "")),
        "status": int(status) if status.isdigit() else status,
        "bytes": atoms.get("B"),
        "duration_ms": round(int(atoms.get("D") or 0) / 1000, 3),
    }
    incoming_id = atoms.get("{x-request-id}o")
    if isinstance(incoming_id, str) and _INCOMING_ID.match(incoming_id):
        fields["request_id"] = incoming_id
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (ISO 8601, UTC offset), ``level``, ``logger``,
    ``message``, ``pid``, ``request_id`` when serving a request, ``exception`` (the
    traceback), and the scalar ``extra=`` fields; personal data masked throughout."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            access = _access_fields(record.args)
            entry["message"] = f"{access['http_method']} {access['path']} {access['status']}"
            entry.update(access)
        else:
            entry["message"] = redact_personal(_message(record))
        entry["pid"] = record.process
        current = request_id.get()
        if current is not None:
            entry.setdefault("request_id", current)
        if record.exc_info:
            entry["exception"] = redact_personal(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = redact_personal(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact_personal(self.formatStack(record.stack_info))
        for key, value in vars(record).items():
            if key in _RECORD_ATTRIBUTES or key.startswith("_") or key in entry:
                continue
            scalar = _scalar(value)
            if scalar is not None:
                entry[key] = scalar
        return json.dumps(entry, ensure_ascii=False, default=str)


def gunicorn_log_config() -> dict[str, Any]:
    """gunicorn's logging (``--log-config-json``) in the JSON format: its error log on
    stderr, the access log on stdout."""
    formatter = {"()": f"{__name__}.JsonFormatter"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        "root": {"level": "INFO", "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }
