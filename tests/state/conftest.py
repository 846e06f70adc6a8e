"""Fixtures of the state tests: a real PostgreSQL server, an age key, one store per backend."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pyrage  # type: ignore[import-untyped]
import pytest

from homestack.state import StateStore

from .support import BACKENDS, StoreSpec

PG_USER = "postgres"
_names = itertools.count()


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: run it as the ``postgres`` system user then."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", PG_USER], check=True)
    return ["runuser", "-u", PG_USER, "--"]


class PostgresServer:
    """A throw-away PostgreSQL server on 127.0.0.1; ``database()`` gives a fresh database."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.prefix = _as_server_user()
        # Not under pytest's temp root: its parents are private to root, and the server
        # user must be able to reach its data directory.
        self.dir = Path(tempfile.mkdtemp(prefix="homestack-pg-"))
        if self.prefix:
            entry = pwd.getpwnam(PG_USER)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.data = self.dir / "data"
        self.port = _free_port()

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, cwd=self.dir)

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust",
                  "-U", "postgres", "-E", "UTF8", "--no-sync", "--locale=C")
        options = f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.dir / "server.log"), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                      "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def database(self) -> str:
        """Create an empty database and return its URL."""
        name = f"state_{os.getpid()}_{next(_names)}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def files(self, url: str) -> list[Path]:
        """The files of the database at ``url`` and the server's WAL, after a checkpoint."""
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")
            row = conn.execute("SELECT oid FROM pg_database"
                               " WHERE datname = current_database()").fetchone()
        assert row is not None
        places = [self.data / "base" / str(row[0]), self.data / "pg_wal"]
        return [p for place in places for p in place.rglob("*") if p.is_file()]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole session."""
    if os.environ.get("HOMESTACK_SKIP_POSTGRES") == "1":
        pytest.skip("HOMESTACK_SKIP_POSTGRES=1: PostgreSQL tests skipped")
    bindir = _pg_bin()
    if bindir is None:
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or under"
            " /usr/lib/postgresql/*/bin: install the 'postgresql' package"
            " (apt-get install postgresql), or set HOMESTACK_SKIP_POSTGRES=1 to skip",
            pytrace=False,
        )
    server = PostgresServer(bindir)
    try:
        server.start()
    except subprocess.CalledProcessError as error:
        log = server.dir / "server.log"
        detail = log.read_text() if log.exists() else error.stderr.decode()
        server.stop()
        pytest.fail(f"PostgreSQL did not start: {detail}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def age_key(tmp_path: Path) -> tuple[Path, str]:
    """An age identity file (as age-keygen writes it) and its public key."""
    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    path = tmp_path / "keys" / "age.key"
    path.parent.mkdir()
    path.write_text(f"# created: by the test\n# public key: {public}\n{identity}\n")
    path.chmod(0o600)
    return path, public


def make_spec(kind: str, root: Path, request: pytest.FixtureRequest,
              age_key: tuple[Path, str]) -> StoreSpec:
    """The spec of a fresh state of backend ``kind`` under ``root``."""
    if kind == "postgres":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return StoreSpec(kind, root, url=server.database())
    if kind == "encrypted":
        return StoreSpec(kind, root, identity=age_key[0], recipient=age_key[1])
    return StoreSpec(kind, root)


@pytest.fixture(params=BACKENDS)
def spec(request: pytest.FixtureRequest, tmp_path: Path, age_key: tuple[Path, str]) -> StoreSpec:
    """A fresh, empty state in each backend."""
    root = tmp_path / "homelab"
    root.mkdir()
    return make_spec(str(request.param), root, request, age_key)


@pytest.fixture
def store(spec: StoreSpec) -> Iterator[StateStore]:
    """An open store on ``spec`` (closed after the test)."""
    opened = spec.open()
    yield opened
    opened.close()
