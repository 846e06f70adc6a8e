"""What a Stack's record keeps across applies."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.memory_lab import MemoryLab, dns_record

DEPLOYMENT = "k8s:apps/v1:Deployment:whoami/whoami"


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path) -> MemoryLab:
    return MemoryLab(small_homelab, tmp_path)


def test_an_object_left_alone_keeps_its_provider_id(lab: MemoryLab) -> None:
    lab.apply()
    first = lab.store.read_stack("whoami")
    assert first is not None and first.resource(DEPLOYMENT).provider_id == DEPLOYMENT  # type: ignore[union-attr]
    lab.extra["whoami"] = [dns_record("whoami.home.arpa", "10.0.20.99")]
    lab.world.log.clear()
    assert not lab.apply().failed
    assert lab.world.log == [("put", "dns:rfc2136:A:whoami.home.arpa")]
    second = lab.store.read_stack("whoami")
    assert second is not None and second.revision == first.revision + 1
    assert second.resource(DEPLOYMENT).provider_id == DEPLOYMENT  # type: ignore[union-attr]
