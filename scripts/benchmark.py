"""Time the public pages at 100x today's data (≈20,000 services).

    make bench                                   # SQLite file bench-services.sqlite3
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/accmr_bench make bench

The database is created (or reused) on its own, migrated and seeded with
`seed_demo --scale 250`; then each URL is requested through Django's test client and the
median and 95th-percentile times are printed with the peak memory of the process.
"""

import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'bench-services.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accmr.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("MAP_TILES_URL", "/static/img/tile.png")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

SCALE = int(os.environ.get("BENCH_SCALE", "250"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
URLS = [
    "/",
    "/services/",
    "/services/?page=400",
    "/services/?q=ελληνικα",
    "/services/?category=health&district=6&cost=free",
    "/services/?language=ar&target_group=women&sort=verified",
    "/en/services/?category=education&subcategory=greek-language",
    "/services/map.geojson",
    "/services/map.geojson?category=education",
    "/services/kem-greek-kypseli/",
    "/services/?format=csv",
    "/en/services/?format=xlsx",
    "/services/?category=health&format=csv",
]


def ensure_data():
    if connection.vendor == "postgresql":
        _create_postgres_database()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale=SCALE, verbosity=0)
    return time.perf_counter() - started


def _create_postgres_database():
    import psycopg

    settings = connection.settings_dict
    try:
        connection.ensure_connection()
    except Exception:
        with psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            password=settings["PASSWORD"],
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(f'CREATE DATABASE "{settings["NAME"]}"')


def time_url(client, url):
    timings = []
    for _ in range(3 if "format=" in url else ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main():
    seconds = ensure_data()
    from services.models import Service

    total = Service.objects.count()
    print(
        f"{connection.vendor}: {total} services ({Service.objects.published().count()} public); "
        f"seeding took {seconds:.1f}s"
    )
    client = Client()
    print(f"{'URL':62} {'median ms':>10} {'p95 ms':>8}")
    for url in URLS:
        median, p95 = time_url(client, url)
        print(f"{url:62} {median:10.1f} {p95:8.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
