"""Crash safety: gunicorn is killed with SIGKILL during a write load; after a restart every write
it acknowledged (201 with an id) is there, through the API and in the database.

SQLite: the test database is copied to a file (VACUUM INTO) that the server opens with the
production settings (WAL, synchronous=NORMAL). PostgreSQL: the server uses the test database
itself (this test commits, hence transactional_db). Each case takes 10-20 s.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from vivier.accounts.services import api_token_create

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).parent / "gunicorn"
# The kill comes once the load has been acknowledged this many writes and has run this long
# (at most LOAD_MAX_SECONDS: a loaded CI machine can be slow to warm the workers up).
MIN_ACKED = 20
LOAD_SECONDS = 2.0
LOAD_MAX_SECONDS = 30.0
WRITERS = 4

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn (2 workers) in its own process group, so that SIGKILL takes all of it down."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "vivier.settings",
            "DEBUG": "0",
            "VIVIER_HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": settings.SECRET_KEY,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
            "VIVIER_TASKS_BACKEND": "immediate",
            # A write load from one token, then writes again after the restart in the same
            # minute: the API's 200 a minute is not what this test is about.
            "VIVIER_API_RATE": "1000000",
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # The test database was migrated under the test settings' in-memory cache: give it the
        # table the production settings' database cache (the rate limits) reads, as deploys do.
        subprocess.run(
            [sys.executable, "manage.py", "createcachetable"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "vivier.wsgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.log, "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/accounts/login/", timeout=5).status_code:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a crash would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def _write_load(server: Server, token: str) -> tuple[dict[int, str], int]:
    """Post from several threads until the server dies mid-load; return acknowledged posts."""
    acked: dict[int, str] = {}
    failed = 0
    statuses: dict[int, int] = {}
    refusals: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer() -> None:
        nonlocal failed
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        while not stop.is_set():
            body = f"crash-test {uuid.uuid4()}"
            try:
                response = session.post(
                    f"{server.url}/api/v1/posts", json={"body": body}, timeout=5
                )
            except requests.RequestException:
                with lock:
                    failed += 1
                time.sleep(0.05)
                continue
            with lock:
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code == 201:
                    acked[response.json()["id"]] = body
                elif len(refusals) < 3:
                    refusals.append(response.text[:300])

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    while time.monotonic() - started < LOAD_MAX_SECONDS:
        time.sleep(0.1)
        with lock:
            enough = len(acked) >= MIN_ACKED
        if enough and time.monotonic() - started >= LOAD_SECONDS:
            break
    server.kill()  # mid-load: requests are in flight
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(10)
    if len(acked) < MIN_ACKED:
        # Say why, rather than only "too few": the answers the writers got.
        print(f"statuses {statuses}, refusals {refusals}, log {server.log.read_text()[-6000:]}")
    return acked, failed


def _check_after_restart(server: Server, token: str, acked: dict[int, str]) -> None:
    server.start()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    for post_id, body in acked.items():
        response = session.get(f"{server.url}/api/v1/posts/{post_id}", timeout=10)
        assert response.status_code == 200, (post_id, response.status_code)
        assert response.json()["body"] == body
    # And the server writes again after the crash.
    response = session.post(f"{server.url}/api/v1/posts", json={"body": "after"}, timeout=10)
    assert response.status_code == 201


def test_sqlite_wal_keeps_every_acknowledged_write(make_person, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite case runs in the SQLite pass of the suite")
    person = make_person("writer@example.test")
    _token, secret = api_token_create(user=person, name="crash")
    database = tmp_path / "vivier.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(database)])
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["VIVIER_VAR_DIR"] = str(tmp_path)  # the production settings' SQLite file lives there
    server = Server(env, tmp_path / "gunicorn.log")
    try:
        server.start()
        acked, _failed = _write_load(server, secret)
        assert len(acked) >= MIN_ACKED, "too few writes before the kill to mean anything"
        # Straight from the file, before any restart: the WAL holds every acknowledged commit.
        with sqlite3.connect(database) as db:
            mode = db.execute("PRAGMA journal_mode").fetchone()[0]
            found = dict(
                db.execute(
                    "SELECT id, body FROM social_post WHERE body LIKE 'crash-test %'"
                ).fetchall()
            )
        assert mode == "wal"
        assert {k: found.get(k) for k in acked} == acked
        _check_after_restart(server, secret, acked)
    finally:
        server.stop()


def test_postgresql_keeps_every_acknowledged_write(make_person, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://... (the PostgreSQL pass of .ci/run)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] in ("on", "remote_write", "remote_apply")
        cursor.execute("SHOW fsync")
        assert cursor.fetchone()[0] == "on"
    person = make_person("writer@example.test")
    _token, secret = api_token_create(user=person, name="crash")
    config = connection.settings_dict
    url = (
        f"postgres://{config['USER'] or 'postgres'}"
        f"{':' + config['PASSWORD'] if config['PASSWORD'] else ''}"
        f"@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "VIVIER_VAR_DIR": str(tmp_path)}
    server = Server(env, tmp_path / "gunicorn.log")
    try:
        server.start()
        acked, _failed = _write_load(server, secret)
        assert len(acked) >= MIN_ACKED, "too few writes before the kill to mean anything"
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, body FROM social_post WHERE id = ANY(%s)", [list(acked)])
            found = dict(cursor.fetchall())
        assert found == acked
        _check_after_restart(server, secret, acked)
    finally:
        server.stop()
        # The test database is dropped at the end of the session: leave no server session.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
