"""The access log keeps no device key and no query string."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from naikkelas.config.access_log import RedactingLogger, redact


def test_device_keys_are_redacted() -> None:
    assert redact("/odk/c/s3cr3t-KEY_x/submission") == "/odk/c/***/submission"
    assert redact("/odk/formList") == "/odk/formList"


def test_the_logger_drops_the_key_and_the_query() -> None:
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/odk/c/s3cr3t/submission?deviceID=collect:123",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/odk/c/s3cr3t/submission",
        "QUERY_STRING": "deviceID=collect:123",
    }
    response = SimpleNamespace(status="201 Created", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=1))
    line = " ".join(str(v) for v in atoms.values())
    assert "s3cr3t" not in line and "collect:123" not in line
    assert atoms["r"] == "POST /odk/c/***/submission HTTP/1.1"
