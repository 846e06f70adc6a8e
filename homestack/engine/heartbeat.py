"""Heartbeat: keeps every lease a run holds alive while a long apply runs."""

from __future__ import annotations

import threading
import time

from homestack.model import HomestackError
from homestack.state import Lease, StateStore


class Heartbeat:
    """Renews each held lease once a third of its own time to live has passed.

    A Site with short leases is kept alive as surely as one with long leases. The leases are
    shared between the worker threads and this one, so every access takes the lock. A renewal
    that fails (the lease was broken or taken over) marks that lease lost instead of ending
    the thread: every other lease is still renewed, and the Stack's record write then fails
    with the reason. The run stops the heartbeat before it releases its leases.
    """

    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._leases: dict[str, Lease] = {}
        self._renewed: dict[str, float] = {}  # local monotonic time: immune to clock skew
        self._lost: dict[str, HomestackError] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()

    def hold(self, lease: Lease) -> None:
        """Keep ``lease`` alive from now on."""
        with self._lock:
            self._leases[lease.stack] = lease
            self._renewed[lease.stack] = time.monotonic()
        self._wake.set()  # a new lease may need renewing sooner than the current wait

    def current(self, stack: str) -> Lease:
        """The Stack's lease as last renewed; raises why it was lost, if it was."""
        with self._lock:
            if stack in self._lost:
                raise self._lost[stack]
            return self._leases[stack]

    def held(self) -> list[Lease]:
        """Every lease held now (a lost one is no longer ours to release)."""
        with self._lock:
            return [lease for stack, lease in self._leases.items() if stack not in self._lost]

    def _renew_due(self) -> float:
        """Renew the leases due; return seconds until the next one is due."""
        wait = 1.0
        with self._lock:
            for stack, lease in list(self._leases.items()):
                if stack in self._lost:
                    continue
                third = (lease.expires_at - lease.heartbeat_at).total_seconds() / 3
                if time.monotonic() - self._renewed[stack] >= third:
                    try:
                        self._leases[stack] = self._store.heartbeat(lease)
                    except HomestackError as error:
                        self._lost[stack] = error
                        continue
                    self._renewed[stack] = time.monotonic()
                wait = min(wait, third - (time.monotonic() - self._renewed[stack]))
        return max(0.01, wait)

    def _run(self) -> None:
        wait = 1.0
        while not self._stop.is_set():
            self._wake.wait(wait)
            self._wake.clear()
            if not self._stop.is_set():
                wait = self._renew_due()
