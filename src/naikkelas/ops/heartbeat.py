"""The worker's heartbeat (being written)."""

from __future__ import annotations


def start_heartbeat() -> None:
    pass
