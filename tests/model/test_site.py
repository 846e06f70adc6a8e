"""Site validation of single fields (cross-object rules are policy rules)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from homestack.model import DEFAULT_TIERS, LbPool, NamespaceTier, Network, Nic


def test_gateway_outside_network_is_refused() -> None:
    with pytest.raises(ValidationError, match="outside"):
        Network(name="lan", cidr="10.0.0.0/24", gateway="10.0.1.1")


def test_reversed_pool_is_refused() -> None:
    with pytest.raises(ValidationError, match="reversed"):
        LbPool(first="10.0.20.220", last="10.0.20.200", shared_ip="10.0.20.200")


def test_pool_contains() -> None:
    pool = LbPool(first="10.0.20.200", last="10.0.20.220", shared_ip="10.0.20.200")
    assert pool.contains("10.0.20.203")
    assert not pool.contains("10.0.20.221")


def test_nic_ip_must_be_an_interface() -> None:
    with pytest.raises(ValidationError):
        Nic(bridge="vmbr1", ip="10.0.20.300/24")


def test_default_tiers_hold_the_homelab_numbers() -> None:
    tiers = {spec.tier: spec for spec in DEFAULT_TIERS}
    assert tiers[NamespaceTier.CORE].priority_value == 1_000_000
    assert tiers[NamespaceTier.AUX].preemption == "Never"
    assert tiers[NamespaceTier.GPU].quota.requests_memory == "12Gi"
    assert tiers[NamespaceTier.EDGE].limits.default_memory_request == "128Mi"
    assert tiers[NamespaceTier.CORE].priority_class == "tier-0-core"
