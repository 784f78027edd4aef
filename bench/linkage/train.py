"""Train the shipped linkage parameters on the synthetic benchmark (ground truth known).

    python -m bench.linkage.train --records 200000 --seed 3673

writes ``src/naikkelas/linkage/params/{business,owner,given_owner}.json`` (Splink's model
file format): for ``business`` and ``owner`` m from the labelled pairs, u by random sampling,
the prior from the label counts; for ``given_owner`` m and u from pairs of one owner's
records (same business vs that owner's other businesses). Re-run it after
changing ``linkage.model`` (comparisons or levels) and commit the new files.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.linkage.generate import generate

from naikkelas.intake.values import known_sector
from naikkelas.linkage.batch import connect, load_records
from naikkelas.linkage.features import FEATURE_COLUMNS, FeatureMaker
from naikkelas.linkage.model import blocking_columns_sql
from naikkelas.linkage.places import kelurahan_resolver
from naikkelas.linkage.training import (
    condition_owner_named,
    train_from_labels,
    train_given_owner,
)

PARAMS = Path(__file__).resolve().parents[2] / "src" / "naikkelas" / "linkage" / "params"
TRUTH = ("true_business_id", "true_owner_id")


def load_generated(con, records: int, seed: int) -> int:
    maker = FeatureMaker(
        place=kelurahan_resolver("36.73"), sector=known_sector, sector_of_name=known_sector
    )

    def rows():
        for record in generate(records, seed=seed):
            yield maker.row(record, record["record_id"]) + tuple(record[c] for c in TRUTH)

    return load_records(con, rows(), extra=TRUTH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=3673)
    parser.add_argument("--max-pairs", type=float, default=2e7)
    parser.add_argument("--out", type=Path, default=PARAMS)
    options = parser.parse_args()
    started = time.perf_counter()
    con = connect()
    n = load_generated(con, options.records, options.seed)
    # the model's blocking rules (saved with it) read the blocking-key columns
    con.execute(
        f"CREATE OR REPLACE TABLE records AS SELECT *, {blocking_columns_sql()} FROM records"
    )
    print(f"loaded {n} records in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    options.out.mkdir(parents=True, exist_ok=True)
    for level, label in (("business", "true_business_id"), ("owner", "true_owner_id")):
        started = time.perf_counter()
        model = train_from_labels(
            con, level=level, label_column=label, seed=options.seed, max_pairs=options.max_pairs
        )
        if level == "business":
            echo = condition_owner_named(
                con, model, business_label="true_business_id", owner_label="true_owner_id"
            )
            print(f"business: owner-named level given agreeing owners {echo}", file=sys.stderr)
        path = options.out / f"{level}.json"
        path.write_text(json.dumps(model, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        print(
            f"{level}: trained in {time.perf_counter() - started:.1f} s -> {path}", file=sys.stderr
        )
    started = time.perf_counter()
    rows = con.execute(
        f"SELECT {', '.join(FEATURE_COLUMNS)}, true_business_id, true_owner_id FROM records"  # noqa: S608
    ).fetchall()
    model = train_given_owner((row[:-2], row[-2], row[-1]) for row in rows)
    path = options.out / "given_owner.json"
    path.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    print(
        f"given_owner: trained in {time.perf_counter() - started:.1f} s -> {path}", file=sys.stderr
    )


if __name__ == "__main__":
    main()
