"""A throwaway PostgreSQL cluster for the tests and benchmarks.

``initdb`` in a temporary folder, the server listening on a Unix socket in
that folder only (no TCP), stopped and deleted at the end. PostgreSQL
refuses to run as root (CI runs as root): then the cluster runs as Debian's
``postgres`` user (or ``nobody``) through ``setpriv``; as a normal user it
runs as that user.

The superuser ``qualcode_admin`` connects without a password (it sets the
projects up); every other role authenticates with SCRAM passwords that the
tests put in a pgpass file (``PGPASSFILE``), as a real team would.

``.ci/run`` starts one cluster for the whole run and stops it at the end::

    base=$(python3 tests/pg_cluster.py start)   # prints the cluster's folder
    QUALCODE_PG_CLUSTER=$base pytest             # the tests use it instead of starting their own
    python3 tests/pg_cluster.py stop "$base"

Only the standard library is used, so it runs before the virtual environment exists.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ADMIN = "qualcode_admin"


def find_bindir() -> Path | None:
    """Where initdb and pg_ctl are: QUALCODE_PG_BIN, Debian's versioned folders, or PATH."""
    candidates = [os.environ.get("QUALCODE_PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    which = shutil.which("initdb")
    if which:
        candidates.append(str(Path(which).resolve().parent))
    for c in candidates:
        if c and (Path(c) / "initdb").is_file() and (Path(c) / "pg_ctl").is_file():
            return Path(c)
    return None


class Cluster:
    """One running server; :meth:`url` names a database in it."""

    def __init__(self, bindir: Path, *, fsync: bool = False, base: Path | None = None, synchronous_commit: bool | None = None):
        self.bindir = bindir
        self.fsync = fsync
        self.synchronous_commit = fsync if synchronous_commit is None else synchronous_commit
        self.base = base if base is not None else Path(tempfile.mkdtemp(prefix="qualcode-pg-"))
        self.data = self.base / "data"
        self.socket_dir = self.base
        self.pgpass = self.base / "pgpass"
        self._owner = self._unprivileged_owner()
        self.started = False

    @staticmethod
    def _unprivileged_owner() -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
        raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL")

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self._owner is not None:
            cmd = ["setpriv", f"--reuid={self._owner.pw_uid}", f"--regid={self._owner.pw_gid}", "--clear-groups", "--", *cmd]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8")
        result = subprocess.run(cmd, cwd=self.base, env=env, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = (self.base / "server.log")
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({result.returncode}): {result.stderr.strip()} {tail}")

    def start(self) -> "Cluster":
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> "Cluster":
        if self._owner is not None:
            os.chown(self.base, self._owner.pw_uid, self._owner.pw_gid)
        os.chmod(self.base, 0o700)
        self._run("initdb", "-D", str(self.data), "-U", ADMIN, "-E", "UTF8", "--no-locale", "-A", "trust",
                  "--no-sync", "--no-instructions")
        # The admin connects without a password over the socket; everyone else with SCRAM.
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"local all {ADMIN} trust\nlocal all all scram-sha-256\n")
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' -c max_connections=60"
            f" -c fsync={'on' if self.fsync else 'off'} -c full_page_writes={'on' if self.fsync else 'off'}"
            f" -c synchronous_commit={'on' if self.synchronous_commit else 'off'} -c shared_buffers=64MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"), "-o", options, "-w", "start")
        self.started = True
        self.pgpass.write_text("")
        os.chmod(self.pgpass, 0o600)
        return self

    @classmethod
    def attach(cls, base: Path) -> "Cluster":
        """A cluster another process started in ``base`` (it stays running: its starter stops it)."""
        bindir = find_bindir()
        if bindir is None or not (Path(base) / "data" / "postmaster.pid").is_file():
            raise RuntimeError(f"no running qualcode test cluster in {base}")
        cluster = cls(bindir, base=Path(base))
        cluster.started = True
        return cluster

    def url(self, database: str = "postgres", user: str = ADMIN) -> str:
        return f"postgresql://{quote(user, safe='')}@/{database}?host={quote(str(self.socket_dir), safe='')}"

    def add_password(self, user: str, password: str) -> None:
        """Put a role's password where libpq looks for it (the pgpass file the tests point PGPASSFILE at)."""
        escaped = lambda s: s.replace("\\", "\\\\").replace(":", "\\:")  # noqa: E731
        with self.pgpass.open("a", encoding="utf-8") as f:
            f.write(f"*:*:*:{escaped(user)}:{escaped(password)}\n")

    def stop(self) -> None:
        if self.started:
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            finally:
                self.started = False
        shutil.rmtree(self.base, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["start"]:
        found = find_bindir()
        if found is None:
            sys.exit("PostgreSQL binaries (initdb, pg_ctl) not found")
        print(Cluster(found).start().base)
    elif sys.argv[1:2] == ["stop"] and len(sys.argv) == 3:
        Cluster.attach(Path(sys.argv[2])).stop()
    else:
        sys.exit("usage: pg_cluster.py start | stop BASE")
