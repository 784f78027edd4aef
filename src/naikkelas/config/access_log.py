"""gunicorn's access log without secrets: the device key in ODK Collect's server URL
(``/odk/c/<key>/...``) and the query string are left out (UU 27/2022: logs keep no key that
lets someone send data in an enumerator's name)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from naikkelas.ops.json_logs import DEVICE_KEY


def redact(text: str) -> str:
    return DEVICE_KEY.sub(r"\1***", text)


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        query = environ.get("QUERY_STRING") or None
        for name, value in atoms.items():  # also the environ atoms ("{raw_uri}e" ...)
            if not isinstance(value, str):
                continue
            if query is not None and value == query:
                atoms[name] = "-"
                continue
            value = redact(value)
            if query is not None:
                value = value.replace("?" + query, "")
            atoms[name] = value
        return atoms
