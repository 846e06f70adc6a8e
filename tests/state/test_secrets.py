"""No secret value ever reaches a store: planted through every write path, then searched for
in the raw bytes each backend keeps (database files with their WAL, the PostgreSQL data
directory and a dump of its tables, the decrypted state files)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
import pytest
from pydantic import ValidationError

from homestack.model.errors import SecretLeakError
from homestack.model.secret import SecretValue
from homestack.state import (
    Holder,
    ResourceRecord,
    RunRecord,
    StackRecord,
    StateError,
    StateStore,
    _age,
)

from .support import StoreSpec, holder, stack_record

Refused = (SecretLeakError, ValidationError, StateError)


def _attempts(store: StateStore, planted: SecretValue) -> list[Callable[[], object]]:
    """Every way a caller could try to hand a secret value to the store."""
    lease = store.acquire("immich", holder("r1"))
    store.journal_intent(lease, "vault:kv:secret/immich", "create", "h")
    mutated = ResourceRecord(address="vault:kv:secret/immich", content_hash="h")
    mutated.outputs["password"] = planted  # frozen model, mutable dict: the store must check
    nested = ResourceRecord(address="vault:kv:secret/other", content_hash="h")
    nested.outputs["db"] = [{"users": {"admin": planted}}]  # type: ignore[list-item]
    now = datetime.now(UTC)
    return [
        lambda: ResourceRecord(address="a", content_hash="h", outputs={"pw": planted}),
        lambda: ResourceRecord(address="a", content_hash="h", outputs={"l": [planted]}),
        lambda: store.write_stack(lease, stack_record("immich", mutated)),
        lambda: store.write_stack(lease, stack_record("immich", nested)),
        lambda: store.journal_done(lease, "vault:kv:secret/immich", mutated),
        lambda: store.journal_intent(lease, "vault:kv:secret/x", planted, "h"),  # type: ignore[arg-type]
        lambda: store.journal_intent(lease, planted, "create", "h"),  # type: ignore[arg-type]
        lambda: StackRecord(stack="immich", content_hash="c", applied_at=now,
                            applied_by=planted),  # type: ignore[arg-type]
        lambda: RunRecord(run_id="r", command="apply", by="me", started_at=now,
                          message=planted),  # type: ignore[arg-type]
        lambda: RunRecord(run_id="r", command="apply", by="me", started_at=now,
                          counts={"created": planted}),  # type: ignore[dict-item]
        lambda: store.break_lease("immich", reason=planted, by="me"),  # type: ignore[arg-type]
        lambda: store.break_lease("immich", reason="r", by=planted),  # type: ignore[arg-type]
        lambda: Holder(user=planted, host="h", pid=1, run_id="r"),  # type: ignore[arg-type]
    ]


def _visible_text(spec: StoreSpec, request: pytest.FixtureRequest) -> bytes:
    """All the bytes an attacker with the files (and the key, for age files) could read."""
    chunks = [p.read_bytes() for p in spec.raw_files() if p.suffix != ".key"]
    if spec.kind == "encrypted":
        keys = _age.identities(spec.identity)  # type: ignore[arg-type]
        chunks += [_age.decrypt(p.read_bytes(), keys, p)
                   for p in (spec.root / "state").glob("*.age")]
    if spec.kind == "postgres":
        server = request.getfixturevalue("postgres_server")
        chunks += [p.read_bytes() for p in server.files(spec.url)]
        with psycopg.connect(spec.url, autocommit=True) as conn:
            tables = conn.execute("SELECT table_name FROM information_schema.tables"
                                  " WHERE table_schema = 'homestack'").fetchall()
            for (table,) in tables:
                rows = conn.execute(f"SELECT t::text FROM homestack.{table} t").fetchall()
                chunks += [str(row[0]).encode() for row in rows]
    return b"\n".join(chunks)


def test_planted_secret_never_reaches_the_bytes(
    store: StateStore, spec: StoreSpec, request: pytest.FixtureRequest
) -> None:
    value = f"planted-{secrets.token_hex(16)}"
    visible = f"visible-{secrets.token_hex(16)}"
    attempts = _attempts(store, SecretValue(value))
    for index, attempt in enumerate(attempts):
        with pytest.raises(Refused):
            attempt()
            pytest.fail(f"attempt {index} stored a secret value")
    # Legitimate writes through every path, carrying a marker the scan must find.
    lease = store.read_lease("immich")  # still held: no attempt got as far as breaking it
    assert lease is not None
    ok = ResourceRecord(address="k8s:v1:Service:immich/server", content_hash="h",
                        outputs={"marker": visible})
    store.journal_intent(lease, ok.address, "create", "h")
    store.journal_done(lease, ok.address, ok)
    store.write_stack(lease, stack_record("immich", ok))
    store.journal_intent(lease, ok.address, "update", "h2")
    store.journal_done(lease, ok.address, ok)
    store.record_run(RunRecord(run_id="r2", command="apply", by="me",
                               started_at=datetime.now(UTC), message=visible))
    raw = _visible_text(spec, request)  # with the SQLite WAL still there
    store.close()
    raw += _visible_text(spec, request)  # and after the checkpoint on close
    assert visible.encode() in raw, "the scan did not find a value that was stored"
    assert value.encode() not in raw


def test_secret_value_is_masked_when_printed() -> None:
    value = SecretValue("hunter2-" + secrets.token_hex(8))
    with pytest.raises(ValidationError) as caught:
        ResourceRecord(address="a", content_hash="h", outputs={"pw": value})
    assert value.reveal() not in str(caught.value)
    assert "outputs.pw holds a secret value" in str(caught.value)



def test_the_journal_refuses_a_secret_value_before_storing_it(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"))
    planted = SecretValue(f"planted-{secrets.token_hex(8)}")
    with pytest.raises(SecretLeakError, match=r"field \[2\] holds a secret value"):
        store.journal_intent(lease, "vault:kv:secret/x", "create", planted)  # type: ignore[arg-type]
    assert store.journal_open("immich") == []
    store.release(lease)
