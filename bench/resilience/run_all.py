"""Run every resilience script and print a summary; exit code 1 when any check failed.

    .venv/bin/python -m bench.resilience.run_all [--postgres] [--quick] [--only NAME ...]

Each script runs in its own process (its output streams through) with its defaults, or with
small inputs under ``--quick`` (a few minutes in all). ``--postgres`` runs them on scratch
PostgreSQL databases instead of SQLite. ``full_disk`` needs root (``mount -t tmpfs``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench.resilience.common import REPO

SCRIPTS = {
    "kill_worker_import": ["--rows", "6000", "--register", "500"],
    "kill_worker_linkage": ["--register", "500", "--first", "3000", "--second", "5000"],
    "kill_web_submission": ["--submissions", "120", "--enumerators", "6"],
    "full_disk": ["--rows", "8000"],
}
NEEDS_ROOT = 2  # full_disk's exit code without root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="scratch PostgreSQL databases")
    parser.add_argument("--quick", action="store_true", help="small inputs")
    parser.add_argument("--only", nargs="+", choices=sorted(SCRIPTS), default=sorted(SCRIPTS))
    options = parser.parse_args(argv)
    results: list[tuple[str, int, float, str]] = []
    for name in [n for n in SCRIPTS if n in options.only]:
        args = [sys.executable, "-m", f"bench.resilience.{name}"]
        args += ["--postgres"] if options.postgres else []
        args += SCRIPTS[name] if options.quick else []
        started = time.perf_counter()
        result_line = ""
        with subprocess.Popen(  # noqa: S603 (our own scripts)
            args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as process:
            assert process.stdout is not None
            for line in process.stdout:
                print(line, end="", flush=True)
                if line.startswith("RESULT "):
                    result_line = line.strip()
        seconds = time.perf_counter() - started
        results.append((name, process.returncode, seconds, result_line))
        print(flush=True)

    print("== summary ==")
    failed = False
    for name, code, seconds, line in results:
        if code == 0:
            verdict = "PASS"
        elif code == NEEDS_ROOT and name == "full_disk":
            verdict = "SKIPPED (needs root)"
        else:
            verdict, failed = "FAIL", True
        detail = line.partition(" -- ")[2] or f"exit code {code}"
        print(f"{verdict:<22}{name:<22}{seconds:>7.0f} s  {detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
