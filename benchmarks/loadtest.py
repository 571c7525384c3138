"""Load test: locust users against gunicorn on PostgreSQL, on loopback, bounded in users and time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_scale_load \\
        .venv/bin/python benchmarks/loadtest.py [--users 200 --time 180 --people 10000]

Builds the company with vivier_scale's generator if the database has none (`--people`,
`--posts`), prepares signed-in people (a session and an API token each), collects the static
files, starts gunicorn with gunicorn.conf.py on 127.0.0.1, runs locust headless
(benchmarks/locustfile.py: pages, and posts, reactions and comments through the API), samples
the resident memory (VmRSS) of every gunicorn worker each second, stops everything and prints
throughput, p50/p99 latency, error rate and memory per worker against the targets.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import feed_search as fs  # noqa: E402

DB_PREFIX = "vivier_scale_load"
TARGET_P99_MS = 1000
TARGET_RSS_MB = 300


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="simulated people (200)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="new users per second (5)")
    parser.add_argument("--time", type=int, default=180, help="seconds of load (180)")
    parser.add_argument("--wait-min", type=float, default=15, help="think time, min seconds")
    parser.add_argument("--wait-max", type=float, default=45, help="think time, max seconds")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (2 x CPU + 1)")
    parser.add_argument("--people", type=int, default=10_000, help="if the data set is built")
    parser.add_argument("--posts", type=int, default=100_000, help="if the data set is built")
    parser.add_argument("--port", type=int, default=0, help="loopback port (a free one)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--markdown", default="var/loadtest-results.md")
    return parser.parse_args(argv)


def database_config() -> dict[str, Any]:
    """The DATABASE_URL's settings; refuse anything but a PostgreSQL vivier_scale_load* one."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {}
    if config.get("ENGINE") != "django.db.backends.postgresql":
        fs.fail(f"set DATABASE_URL to a PostgreSQL database named {DB_PREFIX}…")
    if not str(config["NAME"]).startswith(DB_PREFIX):
        fs.fail(f"the database name must start with {DB_PREFIX!r} (the load test writes to it).")
    return config


def prepare_people(args: argparse.Namespace, path: Path) -> int:
    """A session and an API token for `--users` random people, and what they will open."""
    from django.conf import settings
    from django.test import Client

    from vivier.accounts.models import User
    from vivier.accounts.services import api_token_create
    from vivier.social.models import Post

    rng = random.Random(args.seed)
    ids = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    names = list(
        User.objects.filter(pk__in=rng.sample(ids, 300)).values_list("last_name", flat=True)
    )
    public = list(
        Post.objects.filter(community__isnull=True, deleted_at__isnull=True, kind="update")
        .order_by("-created_at")
        .values_list("pk", flat=True)[:2000]
    )
    people = []
    for user in User.objects.filter(pk__in=rng.sample(ids, min(args.users, len(ids)))):
        client = Client()
        client.force_login(user)
        _token, secret = api_token_create(user=user, name="loadtest")
        people.append(
            {
                "email": user.email,
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "token": secret,
                "people": rng.sample(ids, 50),
                "names": rng.sample(names, 20),
                "posts": rng.sample(public, min(100, len(public))),
            }
        )
    path.write_text(json.dumps(people))
    return len(people)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, seconds: float) -> None:
    """Wait until something listens on the port."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    fs.fail(f"gunicorn did not listen on 127.0.0.1:{port} within {seconds:.0f} s")


def ready_workers(master: int, port: int, expected: int, seconds: float = 180) -> list[int]:
    """Wait until the master has forked its workers and a page answers; return the workers."""
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(children(master)) >= expected:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30):
                    return children(master)
            except OSError:
                pass
        time.sleep(0.5)
    fs.fail(f"gunicorn's {expected} workers were not ready within {seconds:.0f} s")


def children(pid: int) -> list[int]:
    """The child processes of `pid` (gunicorn's workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc/<pid>/status VmRSS."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler(threading.Thread):
    """Samples every worker's VmRSS once a second; keeps each worker's peak."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.peak: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.master_rss = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.master_rss = rss_mb(self.master)
            for pid in children(self.master):
                value = rss_mb(pid)
                self.last[pid] = value
                self.peak[pid] = max(self.peak.get(pid, 0.0), value)


def read_stats(prefix: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Locust's aggregated row and per-endpoint rows from its CSV."""
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return total, [r for r in rows if r["Name"] != "Aggregated"]


def main(argv: Sequence[str] | None = None) -> None:
    """Prepare, serve, load, sample, report."""
    args = parse_args(argv)
    config = database_config()
    if fs.ensure_database(config):
        print(f"Created database {config['NAME']}.")
    os.environ["VIVIER_HTTPS"] = "0"  # plain HTTP on loopback; TLS is the proxy's job
    fs.setup_django()
    from django.core.management import call_command

    from vivier.scale.build import Sizes, build, read_marker

    marker = read_marker()
    if marker is None:
        build(Sizes(args.people, args.posts, seed=args.seed, inference=False))
        marker = read_marker() or {}
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    users_file = var / "loadtest-users.json"
    prepared = prepare_people(args, users_file)
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    port = args.port or free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "VIVIER_HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(var / "loadtest-access.log"),
        "VIVIER_TASKS_BACKEND": "database",
        "VIVIER_LOAD_USERS": str(users_file),
        "VIVIER_LOAD_WAIT_MIN": str(args.wait_min),
        "VIVIER_LOAD_WAIT_MAX": str(args.wait_max),
    }
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "vivier.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(var / "loadtest-gunicorn.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    sampler = MemorySampler(server.pid)
    try:
        wait_for(port, 60)
        workers = ready_workers(server.pid, port, args.workers or 2 * (os.cpu_count() or 1) + 1)
        idle = {pid: rss_mb(pid) for pid in workers}
        sampler.start()
        prefix = var / "loadtest"
        print(
            f"Load: {args.users} users (+{args.spawn_rate}/s), think time {args.wait_min:g}-"
            f"{args.wait_max:g} s, {args.time} s, against {len(workers)} gunicorn workers on "
            f"127.0.0.1:{port}...",
            flush=True,
        )
        started = time.perf_counter()
        subprocess.run(
            [
                str(bin_dir / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.time}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
        elapsed = time.perf_counter() - started
    finally:
        sampler.stop.set()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    report(args, marker, prepared, idle, sampler, prefix, elapsed)


def report(
    args: argparse.Namespace,
    marker: dict[str, Any],
    prepared: int,
    idle: dict[int, float],
    sampler: MemorySampler,
    prefix: Path,
    elapsed: float,
) -> None:
    """Print (and write as markdown) the figures against the targets."""
    total, rows = read_stats(prefix)
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    rps = float(total["Requests/s"])
    p50 = float(total["50%"])
    p99 = float(total["99%"])
    peak = max(sampler.peak.values(), default=0.0)
    error_rate = failures / requests if requests else 0.0
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"Data set: {marker.get('people', 0):,} people, {marker.get('posts', 0):,} posts "
        f"(generated {marker.get('built_at', '?')[:16]}); {prepared} prepared people.",
        f"Load: {args.users} users, think time {args.wait_min:g}-{args.wait_max:g} s, "
        f"{elapsed:.0f} s in all; {os.cpu_count()} CPUs, load average after: {load}.",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| requests | {requests:,} | |",
        f"| throughput | {rps:.1f} req/s | |",
        f"| p50 latency | {p50:.0f} ms | |",
        f"| p99 latency | {p99:.0f} ms | < {TARGET_P99_MS} ms: "
        f"{'OK' if p99 < TARGET_P99_MS else 'MISSED'} |",
        f"| errors | {failures} ({100 * error_rate:.2f} %) | 0: {'OK' if failures == 0 else 'MISSED'} |",
        f"| gunicorn workers | {len(idle)} | |",
        "| RSS per worker, idle after start | "
        + ", ".join(f"{v:.0f}" for v in idle.values())
        + " MB | |",
        f"| RSS per worker, peak under load | {', '.join(f'{v:.0f}' for v in sampler.peak.values())} MB "
        f"| < {TARGET_RSS_MB} MB: {'OK' if peak < TARGET_RSS_MB else 'MISSED'} |",
        f"| RSS of the master (preloaded app) | {sampler.master_rss:.0f} MB | |",
        "",
        "| endpoint | requests | failures | median ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in sorted(rows, key=lambda r: -int(r["Request Count"])):
        lines.append(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
            f"| {row['50%']} | {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} |"
        )
    print("\n".join(lines))
    Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
    Path(args.markdown).write_text("\n".join(lines) + "\n")
    print(f"\nWritten to {args.markdown}; per-endpoint CSV: {prefix}_stats.csv")


if __name__ == "__main__":
    main()
