"""A throwaway PostgreSQL server for the test session, from Debian's ``postgresql`` binaries (``initdb``, ``pg_ctl``).

It lives in a temporary folder, listens on a free loopback port with trust authentication, and is stopped when the
session ends. When the suite runs as root the folder belongs to the ``postgres`` user and the binaries run as that
user (PostgreSQL refuses to run as root). Each test gets its own database (:meth:`PostgresServer.new_database`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path


def binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has initdb and pg_ctl, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    user: str  # the OS user the server runs as (and the superuser's name)

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database; its SQLAlchemy URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        _run([str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"], self.user, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def _run(argv: list[str], user: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        argv = ["runuser", "-u", user, "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, check=check, timeout=120)


def start() -> PostgresServer:
    """Start a server (raises ``RuntimeError`` with the reason when it cannot)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (Debian package postgresql)")
    root = Path(tempfile.mkdtemp(prefix="kcity-pg-"))
    user = pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() == 0:
        user = "postgres"
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    server = PostgresServer(bin_dir, root, port, user)
    try:
        _run([str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], user)
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        _run([str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-o", options, "-l", str(root / "log"), "-w", "-t", "60", "start"], user)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        detail = getattr(exc, "stderr", "") or ""
        server.stop()
        raise RuntimeError(f"cannot start PostgreSQL: {exc} {detail} {log}".strip()) from exc
    return server
