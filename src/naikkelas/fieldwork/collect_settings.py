"""ODK Collect's project settings as a QR code payload (pure: no Django).

Collect (and KoboCollect) set a project up from a QR code holding ``base64(zlib(json))`` of
its settings (ODK docs ``collect-import-export.rst``): here the enumerator's server URL with
their device key, no username or password, the server locked against accidental change,
and a project name and colour so that the phone shows which office it works for.
"""

from __future__ import annotations

import base64
import json
import zlib

__all__ = ["collect_settings", "collect_settings_payload", "read_collect_settings"]


def collect_settings(*, server_url: str, project_name: str, username: str = "") -> dict:
    return {
        "general": {
            "server_url": server_url.rstrip("/"),
            "username": username,
            "password": "",
            "form_update_mode": "match_exactly",  # the server's current form, nothing else
            "autosend": "wifi_and_cellular",
            "constraint_behavior": "on_swipe",
        },
        "admin": {"change_server": False, "admin_pw": ""},
        "project": {"name": project_name, "icon": "U", "color": "#0b6e4f"},
    }


def collect_settings_payload(**settings: str) -> str:
    """The text of the QR code Collect scans ("Configure with QR code")."""
    text = json.dumps(collect_settings(**settings), separators=(",", ":"))
    return base64.b64encode(zlib.compress(text.encode())).decode("ascii")


def read_collect_settings(payload: str) -> dict:
    """What Collect reads back from a payload (for tests and support)."""
    return json.loads(zlib.decompress(base64.b64decode(payload)))
