"""`naikkelas backup` (being written)."""

from __future__ import annotations

import argparse

HELP = "backup"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(options: argparse.Namespace) -> int:
    raise NotImplementedError


def default_options() -> argparse.Namespace:
    """The options of a plain ``naikkelas backup`` (used by ``naikkelas migrate``)."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args([])
