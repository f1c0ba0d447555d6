"""Run one ``qualcode`` command in a forked child process and measure it (for tests/test_probes.py).

The child is forked from the test process, so it starts with qualcode already
imported (a fresh interpreter costs three seconds) yet is its own process:
its memory is measured on its own (``ru_maxrss`` from ``wait4``), an address
space limit (``RLIMIT_AS``) is a fuse against a bomb that would take the
machine down, its output goes to files, and nothing it does stays in the test
process. ``unprivileged`` drops the capabilities that let root ignore file
permissions, so a read-only folder is read-only even when the tests run as root.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
MB = 1024 * 1024


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str
    peak_mb: float  # the child's peak resident memory above what it held when it started
    seconds: float

    @property
    def lines(self) -> list[str]:
        """Every non-empty line the command printed, stdout and stderr together."""
        return [ln for ln in (self.stdout + "\n" + self.stderr).splitlines() if ln.strip()]


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def _vm_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def can_drop_privileges() -> bool:
    """Whether a child can be made to obey file permissions (always, unless root cannot drop them)."""
    return os.geteuid() != 0 or _capabilities() is not None


def _capabilities():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header = Header(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        return None
    return libc, header, data


def _drop_privileges() -> None:
    if os.geteuid() != 0:
        return
    found = _capabilities()
    if found is None:
        raise RuntimeError("cannot read capabilities")
    libc, header, data = found
    mask = ~((1 << _CAP_DAC_OVERRIDE) | (1 << _CAP_DAC_READ_SEARCH)) & 0xFFFFFFFF
    data[0].effective &= mask
    data[0].permitted &= mask
    data[0].inheritable &= mask
    if libc.capset(ctypes.byref(header), data) != 0:
        raise RuntimeError(f"capset failed: errno {ctypes.get_errno()}")


def run(argv: list[str], folder: Path, *, env: dict[str, str] | None = None, unprivileged: bool = False,
        address_space_gb: float = 3.0, timeout: int = 120) -> Run:
    """``qualcode <argv>`` in a forked child; its output is kept in ``folder``."""
    import time

    out, err, start = folder / "probe.stdout", folder / "probe.stderr", folder / "probe.rss"
    began = time.perf_counter()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 70
        try:
            start.write_text(str(rss_mb()))  # what the child holds before it runs the command
            out_fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            err_fd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(out_fd, 1)
            os.dup2(err_fd, 2)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
            sys.stdin = open(os.devnull)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(timeout)
            limit = _vm_bytes() + int(address_space_gb * 1024 * MB)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            os.environ.update(env or {})
            if unprivileged:
                _drop_privileges()
            from qualcode.cli.main import cli

            try:
                cli.main(args=argv, prog_name="qualcode", standalone_mode=True)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    _pid, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - began
    if os.WIFSIGNALED(status):
        exit_code = -os.WTERMSIG(status)
    else:
        exit_code = os.WEXITSTATUS(status)
    peak = usage.ru_maxrss / 1024 - float(start.read_text() or 0)
    for scratch in (start,):
        scratch.unlink(missing_ok=True)
    return Run(exit_code, out.read_text(encoding="utf-8", errors="replace"),
               err.read_text(encoding="utf-8", errors="replace"), max(0.0, peak), seconds)
