"""Helpers for the state tests: how to (re)open each backend, and child-process workers.

A ``StoreSpec`` is plain data, so a child process can open its own store on the same state.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from homestack.state import (
    EncryptedFileStore,
    Holder,
    Lease,
    PostgresStore,
    ResourceRecord,
    SqliteStore,
    StackRecord,
    StateStore,
)

BACKENDS = ("sqlite", "postgres", "encrypted")


@dataclass(frozen=True)
class StoreSpec:
    """Where one backend keeps its state in a test."""

    kind: str
    root: Path
    url: str = ""
    identity: Path | None = None
    recipient: str = ""

    def open(self, ttl: float = 30.0) -> StateStore:
        """Open a new store instance on this state."""
        if self.kind == "sqlite":
            return SqliteStore(self.root / ".homestack" / "state.db", ttl=ttl)
        if self.kind == "postgres":
            return PostgresStore(self.url, ttl=ttl)
        return EncryptedFileStore(
            self.root / "state", recipients=(self.recipient,), identity=self.identity,
            sidecar=self.root / ".homestack" / "bootstrap.db", ttl=ttl,
        )

    def raw_files(self) -> list[Path]:
        """Every file this backend wrote under the test's root."""
        return [p for p in self.root.rglob("*") if p.is_file()]


def holder(run_id: str) -> Holder:
    """A holder for this process and ``run_id``."""
    return Holder.current(run_id)


def stack_record(stack: str, *resources: ResourceRecord, content_hash: str = "c1") -> StackRecord:
    """A record of ``stack`` applied now by the test."""
    return StackRecord(stack=stack, content_hash=content_hash, applied_at=datetime.now(UTC),
                       applied_by="tester", resources=resources)


def append_line(path: Path, line: str) -> None:
    """Append one line with a single write to an O_APPEND file (atomic between processes)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{line}\n".encode())
    finally:
        os.close(fd)


def read_lines(path: Path) -> list[str]:
    """The lines of ``path`` (none if it does not exist)."""
    return path.read_text().splitlines() if path.exists() else []


# -- contention -------------------------------------------------------------------------------
def contend(spec: StoreSpec, stack: str, rounds: int, log: Path, abandon_every: int) -> None:
    """Take the lease ``rounds`` times, logging enter/exit while holding it.

    Every ``abandon_every``-th round (0: never) leaves without releasing, like a holder that
    died: the others must wait for the short TTL and take the lease over.
    """
    store = spec.open()
    ttl = 0.25 if abandon_every else 30.0
    try:
        for index in range(rounds):
            lease = store.acquire(stack, holder(f"{os.getpid()}-{index}"), wait=60, ttl=ttl)
            append_line(log, f"enter {os.getpid()} {index} {time.monotonic_ns()}")
            store.journal_intent(lease, f"k8s:v1:ConfigMap:x/{os.getpid()}-{index}", "create",
                                 "h")
            time.sleep(random.uniform(0, 0.003))
            abandon = bool(abandon_every) and index % abandon_every == abandon_every - 1
            append_line(log, f"exit {os.getpid()} {index} {time.monotonic_ns()}"
                        f" {'abandon' if abandon else 'release'}")
            if not abandon:
                store.journal_close(lease, run_id=lease.run_id)
                store.release(lease)
    finally:
        store.close()


# -- kill and resume --------------------------------------------------------------------------
def addresses(count: int) -> list[str]:
    """The Resource addresses of the fake Stack in the kill test."""
    return [f"k8s:v1:ConfigMap:app/item-{i:02d}" for i in range(count)]


def provider_apply(log: Path, address: str) -> None:
    """The fake provider's change: one line per real change, so doubles show."""
    append_line(log, address)


def apply_stack(
    store: StateStore, lease: Lease, stack: str, wanted: list[str], provider_log: Path,
    pause: float = 0.0,
) -> int:
    """Apply ``wanted`` the way the engine should: plan from record + journal, then change.

    Recorded Resources are unchanged; journal entries that are done are complete; an intent
    without done is re-checked against the provider. Returns how many changes it made.
    """
    record = store.read_stack(stack)
    recorded = {r.address: r for r in record.resources} if record else {}
    journal = {e.address: e for e in store.journal_open(stack)}
    results: dict[str, ResourceRecord] = {}
    made = 0
    for address in wanted:
        entry = journal.get(address)
        if address in recorded:
            results[address] = recorded[address]
            continue
        if entry is not None and entry.done and entry.result is not None:
            results[address] = entry.result
            continue
        result = ResourceRecord(address=address, provider_id=f"uid-{address[-2:]}",
                                content_hash="h", outputs={"n": int(address[-2:])})
        # Only an intent without done "may have happened": re-check it against the provider.
        # Anything else the journal does not know about did not start, so it is applied
        # blindly; a journal that lost an entry would show up as a doubled change.
        maybe_done = entry is not None and address in set(read_lines(provider_log))
        store.journal_intent(lease, address, "create", "h")
        # The provider's latency, before and after the change takes effect (a readiness
        # wait): the windows where a kill is most likely.
        time.sleep(pause / 2)
        if not maybe_done:
            provider_apply(provider_log, address)
            made += 1
        time.sleep(pause / 2)
        store.journal_done(lease, address, result)
        results[address] = result
        lease = store.heartbeat(lease)
    if made or journal or record is None:
        store.write_stack(lease, stack_record(stack, *results.values()))
    return made


def killable_apply(spec: StoreSpec, stack: str, count: int, provider_log: Path) -> None:
    """The child of the kill test: apply ``count`` changes; the parent kills it midway."""
    store = spec.open(ttl=0.3)
    lease = store.acquire(stack, holder(f"child-{os.getpid()}"), wait=10)
    apply_stack(store, lease, stack, addresses(count), provider_log, pause=0.002)
    store.release(lease)
    store.close()
