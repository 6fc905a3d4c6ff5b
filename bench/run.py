"""`make bench`: every benchmark, on SQLite and on PostgreSQL.

Each database runs in its own process (Django is configured once per process). The
PostgreSQL run uses BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/samplan_bench);
that database is created and dropped by the benchmark."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for db in ("sqlite", "postgres"):
        code = subprocess.call([sys.executable, str(HERE / "catalogue_search.py"), "--db", db, *sys.argv[1:]])  # noqa: S603
        if code:
            failed.append(db)
    if failed:
        print(f"\nThe catalogue benchmark failed on: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
