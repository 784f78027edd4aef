"""`naikkelas check` (being written)."""

from __future__ import annotations

import argparse

HELP = "check"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(options: argparse.Namespace) -> int:
    raise NotImplementedError
