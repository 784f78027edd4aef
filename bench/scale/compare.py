"""Put the results of several ``bench.scale.pages --json`` runs side by side (markdown table).

.venv/bin/python -m bench.scale.compare sqlite=/tmp/a.json pg=/tmp/b.json pg+idx=/tmp/c.json
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    runs = []
    for argument in sys.argv[1:]:
        label, _, path = argument.partition("=")
        with open(path) as source:
            data = json.load(source)
        runs.append((label, {r["name"]: r for r in data["results"]}, data["businesses"]))
    if not runs:
        print(__doc__)
        return
    names: list[str] = []
    for _label, results, _n in runs:
        names += [n for n in results if n not in names]
    header = "| page | " + " | ".join(
        f"{label} ({n:,}) p50 / p95 ms, queries" for label, _r, n in runs
    )
    print(header + " |")
    print("|---|" + "---|" * len(runs))
    for name in names:
        cells = []
        for _label, results, _n in runs:
            r = results.get(name)
            if r is None:
                cells.append("")
            elif r["status"] != 200:
                cells.append(f"HTTP {r['status']}")
            else:
                cells.append(f"{r['p50']:,.0f} / {r['p95']:,.0f}, {r['queries']}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
