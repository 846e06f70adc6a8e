"""One table from an HTTP status to a typed error, read alike by every client.

The table itself, then each client through it against a service that really answers: the
real control plane, the PVE fake (whose 500s are refusals, as PVE's are), Cloudflare's fake.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from homestack.providers.errors import (
    ConflictError,
    ForbiddenError,
    InvalidError,
    NotFoundError,
    ProviderError,
    TransientError,
    classify_http,
    error_class,
)
from homestack.providers.kubernetes.status import classify, is_transient
from homestack.providers.proxmox.client import PVE_STATUS, call
from homestack_testing.proxmox import FakePve, require_openssl


@pytest.mark.parametrize(("status", "expected"), [
    (400, InvalidError), (401, ForbiddenError), (403, ForbiddenError), (404, NotFoundError),
    (409, ConflictError), (412, ConflictError), (422, InvalidError), (429, TransientError),
    (500, TransientError), (502, TransientError), (503, TransientError),
    (504, TransientError), (418, ProviderError),
])
def test_every_status_has_one_meaning(status: int, expected: type[ProviderError]) -> None:
    error = classify_http(status, "refused", subject="thing")
    assert type(error) is expected
    assert str(error) == "thing: refused"


def test_a_service_may_say_what_its_own_500_means() -> None:
    assert error_class(500, PVE_STATUS) is ProviderError
    assert error_class(503, PVE_STATUS) is TransientError
    assert error_class(400, PVE_STATUS) is InvalidError


@pytest.mark.parametrize(("code", "reason", "expected", "transient"), [
    (409, "Conflict", ConflictError, False),
    (409, "AlreadyExists", "AlreadyExistsError", False),
    (422, "Invalid", InvalidError, False),
    (401, "Unauthorized", ForbiddenError, False),
    (500, "InternalError", TransientError, True),
    (501, "", TransientError, True),
    (429, "TooManyRequests", TransientError, True),
])
def test_kubernetes_reads_the_same_table_refined_by_reason(
        code: int, reason: str, expected: type[ProviderError] | str, transient: bool) -> None:
    status = {"kind": "Status", "code": code, "reason": reason, "message": "no"}
    error = classify(status, "k8s:v1:ConfigMap:a/b")
    name = expected if isinstance(expected, str) else expected.__name__
    assert type(error).__name__ == name
    assert is_transient(status) is transient


def test_a_pve_refusal_answered_500_is_not_transient(tmp_path: Path) -> None:
    require_openssl()
    fake = FakePve(tmp_path / "pve").start()
    try:
        from proxmoxer import ProxmoxAPI

        host = fake.url.removeprefix("https://").rstrip("/")
        api = ProxmoxAPI(host, user="homestack@pve", token_name="homestack",
                         token_value="s3cr3t", verify_ssl=str(fake.cert), timeout=5)
        fake.add_template(9000, "debian-cloud", {"memory": "2048"})
        with pytest.raises(ProviderError, match="already exists") as refused:
            call("pve:vm:9000", api.nodes("pve").qemu.post, vmid=9000, name="again")
        assert type(refused.value) is ProviderError
        with pytest.raises(InvalidError) as invalid:
            call("pve:vm:9001", api.nodes("pve").qemu.post, vmid="not-a-number")
        assert "vmid" in invalid.value.fields
    finally:
        fake.stop()
