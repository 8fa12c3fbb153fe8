"""registry_filter_pg_ms: search-as-you-type on 100,000 persons on PostgreSQL (server-side filtering with
the pg_trgm index), median milliseconds per keystroke: the ids of the matching persons in name order plus
the first block of rows the table shows. Reported only when a PostgreSQL server can be started."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from common import BenchContext, Result

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEYSTROKES = ["ö", "öz", "özt", "öztü", "öztür", "öztürk", "", "i", "iv", "iva", "ivan", "al", "al-", "al-h"]
BLOCK = 200


def run(ctx: BenchContext) -> list[Result]:
    import pg_cluster
    import sqlalchemy as sa

    from konferenz.lists.registry import PersonList
    from konferenz.storage import transfer
    from konferenz.storage.db import open_database

    source_path = ctx.demo_db(100_000)
    with pg_cluster.running_cluster() as cluster:
        if cluster is None:
            print("  übersprungen: keine PostgreSQL-Server-Programme installiert")
            return []
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text("CREATE DATABASE bench"))
        admin.dispose()
        source = open_database(source_path)
        target = open_database(cluster.url("bench"))
        try:
            transfer.copy_database(source, target)
            with target.engine.connect() as conn:
                conn.execute(sa.text("ANALYZE"))
                conn.commit()
            persons = PersonList()
            times = []
            for _round in range(3):
                for text in KEYSTROKES:
                    started = time.perf_counter()
                    with target.read_session() as session:
                        ids = persons.ids(session, search=text)
                        persons.rows(session, ids[:BLOCK])
                    times.append((time.perf_counter() - started) * 1000)
        finally:
            source.dispose()
            target.dispose()
    median = statistics.median(times)
    print(f"  Median {median:.1f} ms, Maximum {max(times):.1f} ms je Tastendruck")
    return [Result("registry_filter_pg_ms", median, "ms", 100)]
