"""Logs keep no personal data: the redaction, the JSON and text formatters, gunicorn's access
log as JSON, and the request id."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.config.access_log import RedactingLogger, redact
from naikkelas.ops.json_logs import (
    DEVICE_KEY,
    MASK_EMAIL,
    MASK_NIK,
    MASK_PHONE,
    JsonFormatter,
    RedactingFormatter,
    gunicorn_log_config,
    redact_personal,
    request_id,
)

# --------------------------------------------------------------------------------------------
# redact_personal: examples
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIK 3273010101010001 ditolak", f"NIK {MASK_NIK} ditolak"),
        ("nik=3273010101010001", f"nik={MASK_NIK}"),
        ("3273 0101 0101 0001", MASK_NIK),
        ("3273-0101-0101-0001", MASK_NIK),
        ("32.73.01.010101.0001", MASK_NIK),
        ("NPWP 01.234.567.8-901.000", f"NPWP {MASK_NIK}"),
        ("two 3273010101010001,3273010101010002", f"two {MASK_NIK},{MASK_NIK}"),
        ("HP +62 812-3456-7890.", f"HP {MASK_PHONE}."),
        ("+6281234567890", MASK_PHONE),
        ("6281234567890", MASK_PHONE),
        ("0812 3456 7890", MASK_PHONE),
        ("0812-3456-789", MASK_PHONE),
        ("hp081234567890", f"hp{MASK_PHONE}"),
        ("Tel.081234567890", f"Tel.{MASK_PHONE}"),
        ("kantor (0254) 123456", f"kantor {MASK_PHONE}"),
        ("021-5551234", MASK_PHONE),
        ("081234567890 12 kali", f"{MASK_PHONE} 12 kali"),
        ("siti.rohmah+umkm@mail.example.co.id menulis", f"{MASK_EMAIL} menulis"),
        ("GET /odk/c/s3cr3t-KEY_x/submission", "GET /odk/c/***/submission"),
        # over-masking accepted: a float printed in full looks like "0." before a NIK
        ("ratio 0.30000000000000004", f"ratio {MASK_NIK}"),
        ("rows 1000 2000 3000 4000", f"rows {MASK_NIK}"),
    ],
)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert redact_personal(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12 rows, 3 quarantined",
        "0.3000000000004",
        "12345678.9012345",
        "took 0.123456789 s",
        "1.0812345678",
        "1,0812345678",
        "192.168.1.10",
        "2026-11-29T03:15:00.123+07:00",
        "Django 5.2.19",
        "3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b",
        "impor 8d1f0b6a-3c55-4b0e-9e0a-2a7f1c9d4e21 selesai: 11000 baris",
        "HTTP/1.1 200 5123",
        "kode wilayah 36.73.02.1001",
        "08-01-2026",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact_personal(text) == text


@pytest.mark.parametrize(
    "path",
    ["/odk/c/s3cr3t/submission", "/odk/c/AbC-123_x/formList?x=1", "/odk/formList", "/impor/"],
)
def test_device_keys_are_masked_as_in_the_access_log(path: str) -> None:
    """The pattern is a copy of config.access_log's (this layer may not import it)."""
    assert DEVICE_KEY.sub(r"\1***", path) == redact(path)
    assert redact_personal(path) == redact(path)


# --------------------------------------------------------------------------------------------
# redact_personal: properties
# --------------------------------------------------------------------------------------------

DIGITS = "0123456789"
no_digits = st.text(st.characters(blacklist_categories=("Nd", "Cs")), max_size=30)
# Text around the personal data: anything, as long as no ASCII digit touches it (a digit
# right next to a number makes it another number).
surrounding = st.text(max_size=30)


def _touches_digits(before: str, after: str) -> bool:
    return (before[-1:] in set(DIGITS)) or (after[:1] in set(DIGITS))


@st.composite
def niks(draw: st.DrawFn) -> tuple[str, str]:
    """(the NIK's digits, the NIK as written)."""
    digits = draw(st.text(st.sampled_from(DIGITS), min_size=16, max_size=16))
    layout = draw(st.sampled_from(["plain", "4x4", "structure"]))
    if layout == "plain":
        return digits, digits
    sep = draw(st.sampled_from([" ", "-", "."]))
    if layout == "4x4":
        parts = [digits[i : i + 4] for i in range(0, 16, 4)]
    else:
        parts = [digits[0:2], digits[2:4], digits[4:6], digits[6:12], digits[12:16]]
    return digits, sep.join(parts)


@st.composite
def phones(draw: st.DrawFn) -> tuple[str, str]:
    """(the national number's digits, the number as written)."""
    operator = "8" + draw(st.sampled_from("123456789")) + draw(st.sampled_from(DIGITS))
    rest = draw(st.text(st.sampled_from(DIGITS), min_size=6, max_size=9))
    national = operator + rest
    prefix = draw(st.sampled_from(["0", "62", "+62", "+62 ", "62-"]))
    sep = draw(st.sampled_from(["", " ", "-", "."]))
    if sep:
        parts = [national[:3], national[3:7], national[7:]]
        written = sep.join(p for p in parts if p)
    else:
        written = national
    return national, prefix + written


emails = st.emails()
# Unicode text is slow to generate on a busy machine; the properties are not about speed.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@relaxed
@given(nik=niks(), before=surrounding, after=surrounding)
def test_no_nik_survives(nik: tuple[str, str], before: str, after: str) -> None:
    digits, written = nik
    if _touches_digits(before, after):
        before, after = before + " ", " " + after
    result = redact_personal(before + written + after)
    assert digits not in result
    assert written not in result


@relaxed
@given(phone=phones(), before=no_digits, after=no_digits)
def test_no_phone_number_survives(phone: tuple[str, str], before: str, after: str) -> None:
    national, written = phone
    result = redact_personal(before + written + after)
    assert national not in "".join(c for c in result if c in DIGITS)


@relaxed
@given(email=emails, before=no_digits, after=no_digits)
def test_no_email_address_survives(email: str, before: str, after: str) -> None:
    result = redact_personal(f"{before} {email} {after}")
    assert email not in result


@relaxed
@given(
    value=st.one_of(
        st.integers(min_value=-(10**9), max_value=10**9).map(str),
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9).map(
            lambda x: f"{x:.6f}"
        ),
        st.datetimes().map(datetime.isoformat),
        st.ip_addresses(v=4).map(str),
    )
)
def test_numbers_times_and_addresses_are_not_mistaken_for_personal_data(value: str) -> None:
    assert redact_personal(f"value {value} seen") == f"value {value} seen"


# --------------------------------------------------------------------------------------------
# The formatters
# --------------------------------------------------------------------------------------------


def _record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("naikkelas.test", logging.WARNING, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


@relaxed
@given(nik=niks(), phone=phones(), email=emails)
def test_a_json_line_parses_and_holds_no_personal_data(
    nik: tuple[str, str], phone: tuple[str, str], email: str
) -> None:
    record = _record("owner %s phone %s mail %s", nik[1], phone[1], email, note=f"nik {nik[1]}")
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "WARNING" and entry["logger"] == "naikkelas.test"
    assert nik[0] not in line and email not in line
    assert phone[0] not in "".join(c for c in entry["message"] if c in DIGITS)
    assert entry["note"] == f"nik {MASK_NIK}"


def test_json_time_is_iso_8601_with_an_offset() -> None:
    entry = json.loads(JsonFormatter().format(_record("hello")))
    when = datetime.fromisoformat(entry["time"])
    assert when.utcoffset() == timedelta(0)
    assert abs(datetime.now(tz=when.tzinfo) - when) < timedelta(minutes=1)
    assert entry["message"] == "hello"
    assert entry["pid"] == os.getpid()


def test_json_carries_the_exception_masked() -> None:
    try:
        raise ValueError("NIK 3273010101010001 sudah terdaftar")
    except ValueError:
        record = _record("import failed")
        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: NIK [NIK] sudah terdaftar" in entry["exception"]
    assert "Traceback" in entry["exception"]
    assert "3273010101010001" not in json.dumps(entry)


def test_json_leaves_out_the_request_object_and_non_scalar_extras() -> None:
    request = SimpleNamespace(path="/cari?q=Siti")
    record = _record("Not Found", request=request, status_code=404, job="kendala.escalate")
    entry = json.loads(JsonFormatter().format(record))
    assert "request" not in entry
    assert entry["status_code"] == 404 and entry["job"] == "kendala.escalate"
    assert "Siti" not in json.dumps(entry)


def test_json_carries_the_request_id_while_a_request_is_served() -> None:
    token = request_id.set("abc123def456")
    try:
        entry = json.loads(JsonFormatter().format(_record("inside")))
    finally:
        request_id.reset(token)
    assert entry["request_id"] == "abc123def456"
    assert "request_id" not in json.loads(JsonFormatter().format(_record("outside")))


def test_text_format_masks_too() -> None:
    line = RedactingFormatter("%(levelname)s %(message)s").format(
        _record("owner %s", "3273010101010001")
    )
    assert line == f"WARNING owner {MASK_NIK}"


def test_bad_arguments_still_give_a_line() -> None:
    entry = json.loads(JsonFormatter().format(_record("two %s %s", "one")))
    assert entry["message"].startswith("two %s %s")


# --------------------------------------------------------------------------------------------
# gunicorn
# --------------------------------------------------------------------------------------------


def test_gunicorn_access_log_as_json_has_no_key_query_or_client() -> None:
    logger = RedactingLogger(Config())
    logger._access_log_enabled = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger.access_log.addHandler(handler)
    try:
        environ = {
            "REQUEST_METHOD": "POST",
            "RAW_URI": "/odk/c/s3cr3t/submission?deviceID=collect:123",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "PATH_INFO": "/odk/c/s3cr3t/submission",
            "QUERY_STRING": "deviceID=collect:123",
            "REMOTE_ADDR": "203.0.113.9",
            "HTTP_USER_AGENT": "ODK Collect 081234567890",
        }
        response = SimpleNamespace(
            status="201 Created", sent=10, headers=[("X-Request-ID", "0123456789abcdef")]
        )
        logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12))
    finally:
        logger.access_log.removeHandler(handler)
    line = stream.getvalue().strip()
    entry = json.loads(line)
    assert entry["logger"] == "gunicorn.access"
    assert entry["message"] == "POST /odk/c/***/submission 201"
    assert entry["status"] == 201 and entry["http_method"] == "POST"
    assert entry["duration_ms"] == 12.0 and entry["bytes"] == 10
    assert entry["request_id"] == "0123456789abcdef"
    for secret in ("s3cr3t", "collect:123", "203.0.113.9", "ODK Collect"):
        assert secret not in line


def test_gunicorn_log_config_loads_without_django() -> None:
    """gunicorn's master loads it before Django is set up: the formatter must import on its
    own and the configuration must be one dictConfig accepts."""
    script = (
        "import logging, logging.config, sys\n"
        "from naikkelas.ops.json_logs import gunicorn_log_config\n"
        "logging.config.dictConfig(gunicorn_log_config())\n"
        "logging.getLogger('gunicorn.error').warning('worker %s', '3273010101010001')\n"
        "assert 'django' not in sys.modules\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["logger"] == "gunicorn.error"
    assert entry["message"] == f"worker {MASK_NIK}"
    assert gunicorn_log_config()["loggers"]["gunicorn.access"]["handlers"] == ["console"]


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client) -> None:  # noqa: ANN001
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.django_db
def test_djangos_own_lines_about_a_request_carry_its_id(client) -> None:  # noqa: ANN001
    """ "Not Found: ..." is logged after the middleware chain, the id is still there; once
    the response is closed it is gone."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    django_request = logging.getLogger("django.request")
    django_request.addHandler(handler)
    try:
        response = client.get("/tidak-ada-halaman-ini/?nik=3273010101010001")
    finally:
        django_request.removeHandler(handler)
    entry = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert response.status_code == 404
    assert entry["message"] == "Not Found: /tidak-ada-halaman-ini/"
    assert entry["request_id"] == response["X-Request-ID"]
    assert request_id.get() is None


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_only_behind_the_proxy(client, settings) -> None:  # noqa: ANN001
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-12345")
    assert response["X-Request-ID"] != "proxy-id-12345"
    settings.NAIKKELAS_BEHIND_PROXY = True
    from django.test import Client

    fresh = Client()  # middleware is set up per handler
    assert fresh.get("/healthz", HTTP_X_REQUEST_ID="proxy-id-12345")["X-Request-ID"] == (
        "proxy-id-12345"
    )
    odd = fresh.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]
    assert odd != "bad id\n" and len(odd) == 32


def test_an_unknown_log_format_is_refused(tmp_path) -> None:  # noqa: ANN001
    env = {**os.environ, "NAIKKELAS_LOG_FORMAT": "yaml", "NAIKKELAS_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import naikkelas.config.settings"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode != 0
    assert "NAIKKELAS_LOG_FORMAT" in result.stderr
