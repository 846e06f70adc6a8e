"""Open the Site's state: one ``StateStore`` that routes each Stack to its state tier.

Bootstrap Stacks (``StateSettings.bootstrap_stacks``) go to the encrypted files; every other
Stack goes to the standard backend (SQLite or PostgreSQL). A run that touches both tiers is
recorded in the history of both, and ``history`` merges them.
"""

from __future__ import annotations

import os
from pathlib import Path

from homestack.model.state_settings import STATE_URL_ENV, StateBackend, StateSettings
from homestack.state._age import generate
from homestack.state.encrypted import DEFAULT_IDENTITY, IDENTITY_ENV, EncryptedFileStore
from homestack.state.errors import StateConfigError
from homestack.state.records import (
    Holder,
    JournalEntry,
    Lease,
    ResourceRecord,
    RunRecord,
    StackRecord,
)
from homestack.state.sqlite import SqliteStore
from homestack.state.store import StateStore

SIDECAR = ".homestack/bootstrap.db"
LOCAL_IDENTITY = ".homestack/age.key"


def open_store(root: Path, settings: StateSettings, *, identity: Path | None = None,
               read_only: bool = False) -> StateStore:
    """Open the state of the homelab repository at ``root`` as described by ``settings``.

    ``identity`` is the age key file for the bootstrap tier (default: see
    ``bootstrap_identity``, which creates a homelab-local one when this machine has none,
    unless the command only reads: ``read_only``).
    """
    ttl = settings.lease_ttl_seconds
    if settings.bootstrap_stacks:
        # Settled before any store opens, so a refusal writes nothing.
        identity = bootstrap_identity(root, identity, create=not read_only)
    standard: StateStore
    # The environment variable alone selects PostgreSQL: a team that exports it must not get
    # one private SQLite file each because the Site still says "sqlite".
    if settings.backend is StateBackend.POSTGRES or os.environ.get(STATE_URL_ENV):
        from homestack.state.postgres import PostgresStore, resolve_url  # psycopg only if used

        standard = PostgresStore(resolve_url(settings.url), ttl=ttl)
    else:
        standard = SqliteStore(root / settings.path, ttl=ttl)
    if not settings.bootstrap_stacks:
        return standard
    transit = None
    if settings.transit is not None:
        from homestack.state._transit import TransitKey  # hvac only when Transit is set

        transit = TransitKey(settings.transit)
    bootstrap = EncryptedFileStore(
        root / settings.bootstrap_dir, recipients=settings.age_recipients,
        sidecar=root / SIDECAR, identity=identity, ttl=ttl, transit=transit,
    )
    return RoutedStore(standard, bootstrap, settings.bootstrap_stacks)


def bootstrap_identity(root: Path, given: Path | None = None, *, create: bool = True) -> Path:
    """The age key file this machine reads the bootstrap tier with, created when there is none.

    In order: ``given``; ``HOMESTACK_AGE_IDENTITY`` (which must exist: a missing file there is
    a typo, refused before anything is written); ``.homestack/age.key`` in the homelab;
    ``~/.config/homestack/age.key``. With none of them, a homelab-local identity is created at
    ``.homestack/age.key`` (0600, git-ignored): every file this machine writes is encrypted for
    it too, so the first apply can never lock this machine out of its own state. Without
    ``create`` (a command that only reads) that path is returned uncreated: reading an
    encrypted file then fails naming it, and no key appears that nobody asked for.
    """
    if given is not None:
        return given
    named = os.environ.get(IDENTITY_ENV)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise StateConfigError(
                f"{IDENTITY_ENV} names an age identity that does not exist",
                subject=str(path),
                hint=f"Create it with `homestack state keygen -o {path}` and add the public key"
                " it prints to the Site's age_recipients, or unset the variable",
            )
        return path
    local = root / LOCAL_IDENTITY
    if local.is_file():
        return local
    home = DEFAULT_IDENTITY.expanduser()
    if home.is_file():
        return home
    if not create:
        return local
    try:
        generate(local)
    except OSError as error:
        raise StateConfigError(
            f"cannot create the homelab's age identity ({error.strerror})", subject=str(local),
            hint="Create one with `homestack state keygen` and point HOMESTACK_AGE_IDENTITY at it",
        ) from error
    _ignore_in_git(local)
    return local


def _ignore_in_git(path: Path) -> None:
    """List the key file in its folder's .gitignore, so it is never committed by mistake."""
    ignore = path.parent / ".gitignore"
    lines = ignore.read_text().splitlines() if ignore.is_file() else []
    if path.name not in lines:
        ignore.write_text("\n".join([*lines, path.name]) + "\n")


class RoutedStore:
    """A ``StateStore`` that sends bootstrap Stacks to one store and the rest to another."""

    def __init__(self, standard: StateStore, bootstrap: StateStore,
                 bootstrap_stacks: tuple[str, ...]) -> None:
        self.standard = standard
        self.bootstrap = bootstrap
        self._bootstrap_stacks = frozenset(bootstrap_stacks)

    def store_for(self, stack: str) -> StateStore:
        """The store that holds ``stack``."""
        return self.bootstrap if stack in self._bootstrap_stacks else self.standard

    def stacks(self) -> list[str]:
        """Return the Stacks of both tiers, sorted."""
        return sorted({*self.standard.stacks(), *self.bootstrap.stacks()})

    def read_stack(self, stack: str) -> StackRecord | None:
        """Return the Stack's record from its tier."""
        return self.store_for(stack).read_stack(stack)

    def write_stack(
        self, lease: Lease, record: StackRecord, *, expected_revision: int | None = None
    ) -> StackRecord:
        """Write the Stack's record in its tier."""
        return self.store_for(lease.stack).write_stack(
            lease, record, expected_revision=expected_revision)

    def delete_stack(self, lease: Lease) -> None:
        """Forget the Stack's record in its tier."""
        self.store_for(lease.stack).delete_stack(lease)

    def acquire(
        self, stack: str, holder: Holder, *, wait: float = 0.0, ttl: float | None = None
    ) -> Lease:
        """Take the Stack's lease in its tier."""
        return self.store_for(stack).acquire(stack, holder, wait=wait, ttl=ttl)

    def heartbeat(self, lease: Lease, *, ttl: float | None = None) -> Lease:
        """Extend the lease in its tier."""
        return self.store_for(lease.stack).heartbeat(lease, ttl=ttl)

    def release(self, lease: Lease) -> None:
        """Give the lease back in its tier."""
        self.store_for(lease.stack).release(lease)

    def read_lease(self, stack: str) -> Lease | None:
        """Return the Stack's lease from its tier."""
        return self.store_for(stack).read_lease(stack)

    def break_lease(self, stack: str, *, reason: str, by: str) -> Lease | None:
        """Break the Stack's lease in its tier (recorded in that tier's history)."""
        return self.store_for(stack).break_lease(stack, reason=reason, by=by)

    def journal_intent(self, lease: Lease, address: str, action: str, content_hash: str) -> None:
        """Record an intent in the Stack's tier."""
        self.store_for(lease.stack).journal_intent(lease, address, action, content_hash)

    def journal_done(self, lease: Lease, address: str, result: ResourceRecord | None) -> None:
        """Record a done change in the Stack's tier."""
        self.store_for(lease.stack).journal_done(lease, address, result)

    def journal_open(self, stack: str) -> list[JournalEntry]:
        """Return the Stack's open journal from its tier."""
        return self.store_for(stack).journal_open(stack)

    def journaled(self) -> list[str]:
        """Return the Stacks with open journal entries in either tier, sorted."""
        return sorted({*self.standard.journaled(), *self.bootstrap.journaled()})

    def journal_close(self, lease: Lease, *, run_id: str | None = None) -> int:
        """Close the Stack's open journal in its tier."""
        return self.store_for(lease.stack).journal_close(lease, run_id=run_id)

    def record_run(self, run: RunRecord) -> None:
        """Record the run in every tier it touched (the standard one if none)."""
        tiers = {id(s): s for s in map(self.store_for, run.stacks)} or {0: self.standard}
        for store in tiers.values():
            store.record_run(run)

    def history(self, limit: int = 50) -> list[RunRecord]:
        """Return the newest ``limit`` runs of both tiers, newest first."""
        runs = {r.run_id: r for r in self.standard.history(limit)}
        for run in self.bootstrap.history(limit):
            runs.setdefault(run.run_id, run)
        return sorted(runs.values(), key=lambda r: (r.started_at, r.run_id), reverse=True)[:limit]

    def read_marks(self, scope: str) -> dict[str, str]:
        """Marks live in the standard tier (they name no secret and no bootstrap record)."""
        return self.standard.read_marks(scope)

    def write_marks(self, scope: str, marks: dict[str, str]) -> None:
        """Marks live in the standard tier."""
        self.standard.write_marks(scope, marks)

    def close(self) -> None:
        """Close both stores."""
        try:
            self.bootstrap.close()
        finally:
            self.standard.close()
