"""What the concurrency tests' processes run (a module of its own, so spawned processes can import it)."""

from __future__ import annotations

import os
import time


def decide_all(location: str, coder: str, coding_ids: list[int], barrier, results) -> None:
    """One coder deciding their codings one click (one transaction) at a time: even ids accepted, odd rejected."""
    from qualcode import Project

    errors, latencies = [], []
    with Project.open(location, create=False) as project:
        barrier.wait()
        for cid in coding_ids:
            started = time.perf_counter()
            try:
                project.codings.decide(cid, "accepted" if cid % 2 == 0 else "rejected", coder)
            except Exception as exc:  # noqa: BLE001 - reported to the test, which expects none
                errors.append(f"{type(exc).__name__}: {exc}")
            latencies.append(time.perf_counter() - started)
    results.put((coder, errors, latencies))


def hold_a_transaction(location: str, coding_id: int, ready, new_codings) -> None:
    """Lock a coding and add codings inside one transaction, then wait to be killed before committing."""
    from qualcode import Project
    from qualcode.store.codings import NewCoding

    project = Project.open(location, create=False)
    with project.db.transaction():
        project.codings.decide(coding_id, "rejected", "k1")
        project.codings.add_many([NewCoding(*c) for c in new_codings])
        ready.set()
        time.sleep(120)  # killed long before this ends


def push_once(path: str, url: str, barrier, results) -> None:
    from qualcode.errors import QualcodeError
    from qualcode.team.server import push

    barrier.wait()
    try:
        push(path, url)
        results.put((os.getpid(), None))
    except QualcodeError as exc:
        results.put((os.getpid(), str(exc)))
