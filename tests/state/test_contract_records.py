"""Contract: every backend records Stacks and their Resources the same way."""

from __future__ import annotations

import pytest

from homestack.state import (
    LeaseLostError,
    ResourceRecord,
    StateConflictError,
    StateError,
    StateStore,
)

from .support import StoreSpec, holder, stack_record

WEB = ResourceRecord(address="k8s:apps/v1:Deployment:immich/server", provider_id="uid-1",
                     content_hash="h-web", outputs={"replicas": 2, "ports": [2283]})
DNS = ResourceRecord(address="dns:cloudflare:A:immich.example.org", content_hash="h-dns",
                     outputs={"proxied": True, "ip": None})


def test_unknown_stack_reads_as_none(store: StateStore) -> None:
    assert store.read_stack("immich") is None
    assert store.stacks() == []


def test_written_record_reads_back_equal(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"))
    written = store.write_stack(lease, stack_record("immich", WEB, DNS))
    read = store.read_stack("immich")
    assert read is not None
    assert read == written
    assert {r.address for r in read.resources} == {WEB.address, DNS.address}
    assert read.resource(WEB.address) == WEB
    assert read.applied_by == "tester" and read.target == "kube"


def test_revision_grows_by_one_per_write(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"))
    revisions = [store.write_stack(lease, stack_record("immich", WEB)).revision
                 for _ in range(3)]
    assert revisions == [1, 2, 3]


def test_rewrite_replaces_resources(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"))
    store.write_stack(lease, stack_record("immich", WEB, DNS))
    store.write_stack(lease, stack_record("immich", DNS, content_hash="c2"))
    read = store.read_stack("immich")
    assert read is not None and read.resources == (DNS,) and read.content_hash == "c2"


def test_gitops_target_and_commit_are_kept(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"))
    record = stack_record("immich", WEB).model_copy(
        update={"target": "gitops", "gitops_commit": "0a1b2c3"})
    store.write_stack(lease, record)
    read = store.read_stack("immich")
    assert read is not None and (read.target, read.gitops_commit) == ("gitops", "0a1b2c3")


def test_stacks_lists_every_written_stack_sorted(store: StateStore) -> None:
    for name in ("traefik", "immich", "dbaas"):
        store.write_stack(store.acquire(name, holder("r1")), stack_record(name))
    assert store.stacks() == ["dbaas", "immich", "traefik"]


def test_expected_revision_mismatch_is_a_conflict(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"))
    store.write_stack(lease, stack_record("immich"), expected_revision=0)
    with pytest.raises(StateConflictError, match="revision is 1"):
        store.write_stack(lease, stack_record("immich"), expected_revision=0)
    assert store.write_stack(lease, stack_record("immich"), expected_revision=1).revision == 2


def test_write_after_release_is_refused(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"))
    store.release(lease)
    with pytest.raises(LeaseLostError, match="immich"):
        store.write_stack(lease, stack_record("immich"))
    assert store.read_stack("immich") is None


def test_write_with_lease_of_other_stack_is_refused(store: StateStore) -> None:
    lease = store.acquire("traefik", holder("r1"))
    with pytest.raises(StateError):
        store.write_stack(lease, stack_record("immich"))
    assert store.read_stack("immich") is None


def test_delete_forgets_the_stack(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"))
    store.write_stack(lease, stack_record("immich", WEB))
    store.delete_stack(lease)
    assert store.read_stack("immich") is None and store.stacks() == []


def test_another_instance_sees_the_write(store: StateStore, spec: StoreSpec) -> None:
    store.write_stack(store.acquire("immich", holder("r1")), stack_record("immich", WEB))
    other = spec.open()
    try:
        read = other.read_stack("immich")
        assert read is not None and read.resources == (WEB,)
    finally:
        other.close()


def test_invalid_stack_name_is_refused(store: StateStore) -> None:
    with pytest.raises(StateError, match="invalid Stack name"):
        store.read_stack("../etc")


def test_store_satisfies_the_protocol(store: StateStore) -> None:
    assert isinstance(store, StateStore)
