"""`naikkelas to_postgres` (being written)."""

from __future__ import annotations

import argparse

HELP = "to_postgres"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(options: argparse.Namespace) -> int:
    raise NotImplementedError
