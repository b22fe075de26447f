"""Load-test the public pages as a visitor feels them: `make bench`.

For each scale (1x: the demo data; 100x: `seed_demo --scale 250`, ≈20,000 services) a
PostgreSQL database of its own is created or reused, migrated and seeded. Then gunicorn
serves the portal with production settings (2 workers, DEBUG off, Redis cache) on
loopback and wrk, 8 connections, loads each page after a short warm-up. The ceiling is
/robots.txt, a trivial view on the same stack (no query; /healthz/ now reads the periodic
jobs' records and the task queue too): each page's share of its req/s is what the
portal's own work costs. Each page is loaded twice: as repeat visits (anonymous visitors
share a cached copy) and uncached (a messages cookie the page cache never answers, so
every request renders). Prints a Markdown table (req/s, p50, p95, share of the ceiling).

    make bench
    BENCH_SCALES=250 BENCH_SECONDS=5 make bench     # only 100x, shorter runs

Needs PostgreSQL on BENCH_PG (postgres://postgres@127.0.0.1:5432), Redis on BENCH_REDIS
(redis://127.0.0.1:6379/15, flushed before each scale) and wrk (Debian package `wrk`).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15")
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "0,250").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CONNECTIONS = 8

# (label, path, kind): kind "ceiling", "list", "detail", "home" or "map" sets its target.
PAGES = [
    ("/robots.txt (ceiling)", "/robots.txt", "ceiling"),
    ("/healthz/ (the uptime check)", "/healthz/", "health"),
    ("/ (home)", "/", "home"),
    ("/services/", "/services/", "list"),
    (
        "/services/?district=6&category=education&language=ar",
        "/services/?district=6&category=education&language=ar",
        "list",
    ),
    (
        "/services/?q=ελληνικα",
        "/services/?q=%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%B1",
        "list",
    ),
    ("/en/services/?page=50&sort=verified", "/en/services/?page=50&sort=verified", "list"),
    ("/services/?open_now=1", "/services/?open_now=1", "list"),
    (
        "/services/?open_day=mon&open_time=18:00&district=6",
        "/services/?open_day=mon&open_time=18:00&district=6",
        "list",
    ),
    ("/activities/", "/activities/", "list"),
    ("/activities/?when=week&district=6", "/activities/?when=week&district=6", "list"),
    ("/toolbox/", "/toolbox/", "list"),
    (
        "/toolbox/?q=διερμηνεια (inside the files)",
        "/toolbox/?q=%CE%B4%CE%B9%CE%B5%CF%81%CE%BC%CE%B7%CE%BD%CE%B5%CE%B9%CE%B1",
        "list",
    ),
    ("/support/", "/support/", "list"),
    (
        "/support/?kind=request&support_type=in-kind&district=3",
        "/support/?kind=request&support_type=in-kind&district=3",
        "list",
    ),
    ("/stats/ (all charts)", "/stats/", "list"),
    (
        "/stats/?district=6&category=education",
        "/stats/?district=6&category=education",
        "list",
    ),
    ("/members/", "/members/", "list"),
    ("/members/?q=κεντρο", "/members/?q=%CE%BA%CE%B5%CE%BD%CF%84%CF%81%CE%BF", "list"),
    ("a service detail", "/services/kem-greek-kypseli/", "detail"),
    ("a member profile", "/members/kem/", "detail"),
    ("a toolbox item", "/toolbox/manual-language-support/", "detail"),
    ("a support post (its matches; never cached)", "/support/1/", "detail"),
    ("/services/map.geojson (whole city)", "/services/map.geojson", "map"),
    ("/services/map.geojson?category=health", "/services/map.geojson?category=health", "map"),
]

# wrk prints these lines from its done() hook; the built-in --latency has no p95. In the
# "uncached" runs every request carries a (stale) messages cookie, which the page cache
# never answers (a pending message is one visitor's page), so each one is rendered: what a
# visitor meets on a URL nobody asked for yet. A unique made-up parameter no longer does
# it: the cache drops parameters a page does not read.
WRK_SCRIPT = """
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  uncached = os.getenv("BENCH_UNCACHED") == "1"
end
counter = 0
request = function()
  if not uncached then return wrk.format(nil, wrk.path) end
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "nocache=" .. math.random(1000000000) .. "-" .. counter,
    {["Cookie"] = "messages=bench"})
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def run(*args, env=None, **kwargs):
    return subprocess.run(args, check=True, cwd=ROOT, env=env, **kwargs)


def environment(database: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{database}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": REDIS,
        "MAP_TILES_URL": "/static/img/tile.png",
        "LOG_LEVEL": "WARNING",
        # Every request comes from one address here; the per-visitor limit is not measured.
        "RATE_LIMIT_EXPORTS_PER_MINUTE": "100000",
    }


def prepare(scale: int) -> dict:
    database = f"accmr_bench_{scale}"
    exists = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{database}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        run("psql", f"{PG}/postgres", "-qc", f'CREATE DATABASE "{database}"')
    env = environment(database)
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=env)
    started = time.perf_counter()
    run(PYTHON, "manage.py", "seed_demo", "--scale", str(scale), "-v0", env=env)
    print(f"scale {scale}: seeded in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    run("redis-cli", "-u", REDIS, "flushdb", env=env, stdout=subprocess.DEVNULL)
    return env


def serve(env) -> list:
    """gunicorn, and the task worker that builds the big exports beside it."""
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "-v0"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "accmr.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=1)
            return [server, worker]
        except OSError:
            time.sleep(0.2)
    server.kill()
    worker.kill()
    raise SystemExit("gunicorn did not start")


def load(path: str, script: str, seconds: int, uncached: bool = False) -> dict:
    url = f"http://127.0.0.1:{PORT}{path}"
    with urllib.request.urlopen(url) as response:  # a real 200, not a fast error page
        assert response.status == 200, (path, response.status)
    out = run(
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "-s",
        script,
        url,
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_UNCACHED": "1" if uncached else "0"},
    ).stdout
    requests, duration_us, p50, p95, errors = map(int, re.search(r"BENCH (.*)", out)[1].split())
    return {
        "rps": requests / (duration_us / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "errors": errors,
    }


def measure(scale: int, script: str) -> dict:
    env = prepare(scale)
    processes = serve(env)
    try:
        results = {}
        for label, path, kind in PAGES:
            load(path, script, 2)  # warm-up: connections, caches, compiled templates
            results[label] = {"cached": load(path, script, SECONDS)}
            if kind != "ceiling":
                results[label]["uncached"] = load(path, script, SECONDS, uncached=True)
            print(f"  {label}: {results[label]}", file=sys.stderr)
        results[EXPORTS] = exports_under_load()
        print(f"  {EXPORTS}: {results[EXPORTS]}", file=sys.stderr)
        results[COLD] = cold_statistics(env)
        print(f"  {COLD}: {results[COLD]}", file=sys.stderr)
        return results
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()


TARGETS = {"list": 10, "detail": 25, "home": 25}
EXPORTS = "4 parallel full exports"
# Four different full downloads at once, none built yet: what four visitors (or one
# script) asking for everything cost, while an uptime check keeps asking for /healthz/.
EXPORT_PATHS = [
    "/services/?format=xlsx",
    "/services/?format=xlsx&sort=verified",
    "/services/?format=csv",
    "/en/services/?format=xlsx",
]


def fetch(path: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


def exports_under_load() -> dict:
    """Fire the four exports together and time /healthz/ every 100 ms meanwhile; then
    ask again for those being prepared (the worker builds them) until every file is there
    (what the waiting page's refresh does)."""
    outcomes = {}
    threads = [
        threading.Thread(target=lambda p=p: outcomes.__setitem__(p, fetch(p))) for p in EXPORT_PATHS
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    health = []
    while any(thread.is_alive() for thread in threads):
        health.append(fetch("/healthz/")[1])
        time.sleep(0.1)
    first = dict(outcomes)
    while any(status != 200 for status, _t in outcomes.values()):
        time.sleep(5)
        for path, (status, _t) in list(outcomes.items()):
            if status != 200:
                outcomes[path] = fetch(path)
    health.sort()
    return {
        "first": sorted(status for status, _t in first.values()),
        "slowest_export": max(t for _s, t in first.values()),
        "all_files": time.perf_counter() - started,
        "healthz_max": health[-1] * 1000,
        "healthz_p95": health[int(0.95 * (len(health) - 1))] * 1000,
    }


COLD = "/stats/ cold"
# Every chart computed and drawn afresh (their cached copies expired first), in one
# process with the production settings: the first render also loads matplotlib.
COLD_SCRIPT = """
import statistics, time
from django.test import Client
from accmr.core.cache import CONTENT, bump
client, times = Client(HTTP_HOST="127.0.0.1"), []
for n in range(6):
    bump(CONTENT)
    started = time.perf_counter()
    assert client.get(f"/stats/?cold={n}").status_code == 200
    times.append(time.perf_counter() - started)
print("COLD", times[0] * 1000, statistics.median(times[1:]) * 1000, max(times[1:]) * 1000)
"""


def cold_statistics(env) -> dict:
    out = run(
        PYTHON, "manage.py", "shell", "-c", COLD_SCRIPT, env=env, capture_output=True, text=True
    ).stdout
    first, median, slowest = map(float, re.search(r"COLD (.*)", out)[1].split())
    return {"first": first, "median": median, "slowest": slowest}


def table(results: dict[int, dict]) -> str:
    """Pages as rows; for each scale, the cached and the uncached run."""
    head, rule = ["page"], ["---"]
    for scale in results:
        name = "1x" if scale == 0 else f"--scale {scale}"
        head += [f"{name} cached", f"{name} uncached"]
        rule += ["---", "---"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(rule) + "|"]
    ceiling = PAGES[0][0]
    for label, _path, _kind in PAGES:
        cells = [label]
        for pages in results.values():
            top = pages[ceiling]["cached"]["rps"]
            for mode in ("cached", "uncached"):
                r = pages[label].get(mode)
                if r is None:
                    cells.append("")
                    continue
                share = "" if label == ceiling else f" ({100 * r['rps'] / top:.0f} %)"
                errors = f", {r['errors']} errors" if r["errors"] else ""
                cells.append(f"{r['rps']:.0f}{share}, {r['p50']:.0f} / {r['p95']:.0f} ms{errors}")
        lines.append("| " + " | ".join(cells) + " |")
    cells = [EXPORTS]
    for pages in results.values():
        r = pages[EXPORTS]
        answers = ", ".join(str(s) for s in r["first"])
        cells.append(
            f"answers {answers} in ≤ {r['slowest_export']:.1f} s; all four files in "
            f"{r['all_files']:.0f} s"
        )
        cells.append(
            f"/healthz/ meanwhile: max {r['healthz_max']:.0f} ms, p95 {r['healthz_p95']:.0f} ms"
        )
    lines.append("| " + " | ".join(cells) + " |")
    cells = [COLD]
    for pages in results.values():
        r = pages[COLD]
        cells += [
            f"all 8 charts drawn afresh: median {r['median']:.0f} ms, slowest {r['slowest']:.0f} ms",
            f"in a new process (loading matplotlib): {r['first']:.0f} ms",
        ]
    lines.append("| " + " | ".join(cells) + " |")
    return (
        "\n".join(lines)
        + "\n\nEach cell: req/s (share of the ceiling's req/s), p50 / p95 latency. "
        "The last row: four different full downloads requested at once (202 = the waiting "
        "page, the file built by the task worker), and the uptime check's latency meanwhile."
    )


def main():
    if not shutil.which("wrk"):
        raise SystemExit("make bench needs wrk (Debian: apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    results = {scale: measure(scale, script.name) for scale in SCALES}
    print(table(results))


if __name__ == "__main__":
    main()
