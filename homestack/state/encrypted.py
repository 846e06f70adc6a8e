"""The encrypted-file backend for the bootstrap state tier: one age file per Stack, in Git.

The bootstrap Stacks are the ones the state backend itself needs (the PostgreSQL server, its
storage), so their records cannot live in that backend: they live in
``<bootstrap_dir>/<stack>.age``, encrypted for the Site's age recipients and committed with the
homelab. A file is replaced atomically (temp file + fsync + rename) and never overwritten when
it cannot be decrypted. Leases, the journal and the history are local, per-machine facts; they
live in a sidecar SQLite file under ``.homestack/`` and share the SQL store's code.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from homestack.state import _age
from homestack.state import _sql_records as rows
from homestack.state._codec import check_stack, dump_json
from homestack.state._sqlstore import DEFAULT_TTL
from homestack.state.errors import (
    StateConfigError,
    StateConflictError,
    StateCorruptError,
    StateVersionError,
)
from homestack.state.records import Lease, StackRecord
from homestack.state.sqlite import SqliteStore

if TYPE_CHECKING:  # hvac is imported only when a Site uses Transit
    from homestack.state._transit import TransitKey

FILE_FORMAT_VERSION = 1
WRAPPED_IDENTITY = ".transit-identity"  # the Transit-wrapped age identity (see _transit)
IDENTITY_ENV = "HOMESTACK_AGE_IDENTITY"
DEFAULT_IDENTITY = Path("~/.config/homestack/age.key")
SUFFIX = ".age"


def default_identity() -> Path:
    """The age key file: ``HOMESTACK_AGE_IDENTITY``, else ``~/.config/homestack/age.key``."""
    return Path(os.environ.get(IDENTITY_ENV) or DEFAULT_IDENTITY).expanduser()


class EncryptedFileStore(SqliteStore):
    """Stack records in age files under ``directory``; the rest in the ``sidecar`` SQLite.

    With ``transit``, files are also encrypted to an identity that Vault Transit unwraps
    (see ``_transit``); reads use the age identity when it can be read, else that one.
    """

    def __init__(
        self, directory: Path, *, recipients: Sequence[str], sidecar: Path,
        identity: Path | None = None, ttl: float = DEFAULT_TTL,
        transit: TransitKey | None = None,
    ) -> None:
        super().__init__(sidecar, ttl=ttl)
        self.directory = directory
        self._recipients = tuple(recipients)
        self._identity = identity or default_identity()
        self._transit = transit
        self._keys: list[object] | None = None

    def file(self, stack: str) -> Path:
        """The age file that holds the Stack's record."""
        return self.directory / f"{check_stack(stack)}{SUFFIX}"

    # -- records ------------------------------------------------------------------------------
    def stacks(self) -> list[str]:
        """Return the Stacks that have a file, sorted."""
        if not self.directory.is_dir():
            return []
        return sorted(p.name[: -len(SUFFIX)] for p in self.directory.glob(f"*{SUFFIX}")
                      if not p.name.startswith("."))

    def read_stack(self, stack: str) -> StackRecord | None:
        """Decrypt and return the Stack's record, or ``None`` if it has no file."""
        path = self.file(stack)
        try:
            cipher = path.read_bytes()
        except FileNotFoundError:
            return None
        return _parse(_age.decrypt(cipher, self._decrypting_keys(), path), stack, path)

    def _decrypting_keys(self) -> list[object]:
        if self._keys is None:
            try:
                self._keys = _age.identities(self._identity)
            except StateConfigError:
                wrapped = self._transit_identity(create=False)
                if wrapped is None:
                    raise
                self._keys = [wrapped]
        return self._keys

    def _transit_identity(self, *, create: bool) -> object | None:
        """The age identity Vault Transit wraps, created (and committed) on first write."""
        if self._transit is None:
            return None
        path = self.directory / WRAPPED_IDENTITY
        if path.is_file():
            secret = self._transit.unwrap(path.read_text()).decode()
            return _age.identity(secret, path)
        if not create:
            return None
        identity = _age.new_identity()
        _replace(path, (self._transit.wrap(str(identity).encode()) + "\n").encode())
        return identity

    def write_stack(
        self, lease: Lease, record: StackRecord, *, expected_revision: int | None = None
    ) -> StackRecord:
        """Encrypt ``record`` as the next revision into the Stack's file; close its journal.

        The file is encrypted for the Site's recipients and for the writer's own identity (when
        its key file exists), so whoever writes the state can always read it back.
        """
        wrapped = self._transit_identity(create=True)
        recipients = _age.recipients(self._recipients, required=wrapped is None)
        recipients += self._own_recipients()
        if wrapped is not None:
            recipients.append(wrapped.to_public())  # type: ignore[attr-defined]
        # The sidecar's write transaction holds the lease fence for the whole file write:
        # nobody can take the lease over between the check and the rename.
        with self._write(lease) as tx:
            path = self.file(lease.stack)
            found = self.read_stack(lease.stack)  # refuses a file it cannot decrypt
            revision = found.revision if found else 0
            if record.stack != lease.stack or (
                expected_revision is not None and expected_revision != revision
            ):
                raise StateConflictError(
                    f"recorded revision is {revision} of Stack {lease.stack!r}, the caller"
                    f" expected {expected_revision} for Stack {record.stack!r}",
                    subject=str(path), hint="Plan again and apply the new plan",
                )
            stored = record.model_copy(update={"revision": revision + 1})
            for resource in stored.resources:
                dump_json(resource.outputs, resource.address)
            body = json.dumps({"format_version": FILE_FORMAT_VERSION,
                               "record": stored.model_dump(mode="json")}, indent=1)
            for litter in path.parent.glob(f".{path.name}.*.tmp"):
                litter.unlink()  # left by a writer killed mid-write; we hold the lease now
            _replace(path, _age.encrypt(body.encode(), recipients))
            rows.close(tx, lease.stack, None)
            return stored

    def _own_recipients(self) -> list[object]:
        if not self._identity.is_file():
            return []
        return [key.to_public() for key in self._decrypting_keys()]  # type: ignore[attr-defined]

    def delete_stack(self, lease: Lease) -> None:
        """Remove the Stack's file and close its journal."""
        with self._write(lease) as tx:
            self.file(lease.stack).unlink(missing_ok=True)
            rows.close(tx, lease.stack, None)


def _parse(plain: bytes, stack: str, path: Path) -> StackRecord:
    try:
        body = json.loads(plain)
        version = int(body["format_version"])
    except (ValueError, KeyError, TypeError) as error:
        raise StateCorruptError(f"bootstrap state is not a Homestack state file ({error})",
                                subject=str(path), hint="Restore it from Git") from error
    if version > FILE_FORMAT_VERSION:
        raise StateVersionError(
            f"state file has format version {version} but this Homestack knows up to"
            f" {FILE_FORMAT_VERSION} (written by a newer Homestack)",
            subject=str(path), hint="Upgrade Homestack; never downgrade a state store",
        )
    try:
        record = StackRecord.model_validate(body["record"])
    except (ValidationError, KeyError) as error:
        raise StateCorruptError(f"bootstrap state holds an invalid record ({error})",
                                subject=str(path), hint="Restore it from Git") from error
    if record.stack != stack:
        raise StateCorruptError(f"file holds the record of Stack {record.stack!r}",
                                subject=str(path), hint="Rename or restore the file")
    return record


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a crash leaves the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # makes the rename itself durable
    finally:
        os.close(directory)
