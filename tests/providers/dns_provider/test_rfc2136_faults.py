"""Real BIND behind a seeded TCP fault proxy: a fifth of the connections are cut, before the
request reaches the server or after it answered. Zone transfers are retried; an update (which
carries prerequisites) is not repeated blindly, and the next run finds what a lost answer
did: runs converge, nothing is written twice, and what was never planned stays."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from homestack.model import Resource
from homestack.model.changeset import FailureKind
from homestack.providers.dns import DnsTarget
from homestack.providers.dns.rfc2136 import Rfc2136Backend
from homestack.providers.errors import TransientError
from homestack_testing.bind import BindServer
from homestack_testing.faults import DROP, Faults, FaultyTcpProxy

from .conftest import (
    SITE,
    TSIG_ENV,
    Log,
    actions,
    hand_update,
    plan,
    query,
    record,
    rfc2136_settings,
)

HOSTS = [f"app{i}.home.arpa" for i in range(8)]


@pytest.fixture
def proxied(bind: BindServer) -> Iterator[tuple[DnsTarget, FaultyTcpProxy]]:
    seed = random.randrange(1 << 30)
    print(f"fault seed {seed}")
    proxy = FaultyTcpProxy(bind.host, bind.port, Faults(seed=seed)).start()
    settings = rfc2136_settings(bind).model_copy(update={"port": proxy.port})
    target = DnsTarget(SITE, {"technitium": Rfc2136Backend(settings, {TSIG_ENV: bind.secret})})
    yield target, proxy
    target.close()
    proxy.stop()


def _wanted() -> list[Resource]:
    return [record("technitium", "A", host, f"10.0.20.{i + 10}")
            for i, host in enumerate(HOSTS)]


def _run(target: DnsTarget) -> bool:
    """One plan and apply; False when a transient failure stopped it."""
    try:
        changes = plan(target, "apps", _wanted())
        target.apply_stack("apps", [c for c in changes if c.action.is_change], Log())
    except TransientError as error:
        assert error.kind is FailureKind.TRANSIENT
        return False
    return True


def test_cut_connections_converge_and_nothing_is_written_twice(
        proxied: tuple[DnsTarget, FaultyTcpProxy], bind: BindServer) -> None:
    target, proxy = proxied
    hand_update(bind, "home.arpa", "keep.home.arpa", "A", "10.0.20.99")  # not ours
    proxy.faults.set(0.1, drop_rate=0.1)
    proxy.faults.fail_next(503, DROP)
    outcomes = [_run(target) for _ in range(6)]
    proxy.faults.set(0.0)
    assert _run(target), outcomes
    assert proxy.faults.total > 0
    assert set(actions(plan(target, "apps", _wanted())).values()) == {"unchanged"}
    for i, host in enumerate(HOSTS):
        assert query(bind, host, "A") == [f"10.0.20.{i + 10}"]
        assert query(bind, f"_homestack.{host}", "TXT") == [
            f'"heritage=homestack,site={SITE},stack=apps,type=A"']
    assert query(bind, "keep.home.arpa", "A") == ["10.0.20.99"]


def test_a_transfer_cut_once_is_retried_within_the_run(
        proxied: tuple[DnsTarget, FaultyTcpProxy]) -> None:
    target, proxy = proxied
    proxy.faults.set(1.0)
    with pytest.raises(TransientError):
        target.observe(_wanted(), [])
    proxy.faults.set(0.3)
    for _ in range(5):
        target.observe(_wanted(), [])  # a read is repeated until it gets through
