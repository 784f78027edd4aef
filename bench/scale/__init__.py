"""Scale benchmark (issue 10): a synthetic province-sized register and page timings on it.

    NAIKKELAS_DATA_DIR=$(mktemp -d) .venv/bin/python -m bench.scale.generate --businesses 100000
    NAIKKELAS_DATA_DIR=... .venv/bin/python -m bench.scale.pages

Both honour ``DATABASE_URL`` (PostgreSQL) and default ``NAIKKELAS_AREA_CODE`` to ``36`` (Banten).
"""
