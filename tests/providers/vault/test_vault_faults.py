"""Vault answers badly: a share of its requests throttled, unavailable or dropped after it did
the work, or all of them refused. Real OpenBao behind a seeded fault proxy on loopback.

Transient answers are retried and the run converges; a Vault that is down fails the Stacks
that use it, each with one line, and the others are applied."""

from __future__ import annotations

import json
import random
import textwrap
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from homestack_testing.faults import DROP, Faults, FaultyProxy
from tests.providers.vault.conftest import SITE

if TYPE_CHECKING:
    from tests.providers.vault.conftest import VaultLab

PLAIN = '''\
from homestack import Stack, tier
from homestack.kit import namespace, raw

stack = Stack("platform", tier=tier.AUX)
namespace(stack)
raw(stack, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
            "data": {"mode": "fast"}})
'''


@pytest.fixture
def proxied(vaultlab: VaultLab) -> Iterator[tuple[VaultLab, FaultyProxy]]:
    seed = random.randrange(1 << 30)
    print(f"fault seed {seed}")
    proxy = FaultyProxy(vaultlab.server.address, Faults(seed=seed)).start()
    (vaultlab.root / "site.py").write_text(textwrap.dedent(SITE.format(address=proxy.url)))
    vaultlab.server.cli("kv", "put", "secret/app", "token=planted")
    yield vaultlab, proxy
    proxy.stop()


def test_a_fifth_of_answers_throttled_or_unavailable_still_converges(
        proxied: tuple[VaultLab, FaultyProxy]) -> None:
    lab, proxy = proxied
    proxy.faults.set(0.2, statuses=(503, 429))
    proxy.faults.fail_next(503, 429)
    done = lab.run("apply", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert proxy.faults.total > 0
    proxy.faults.set(0.0)
    assert lab.run("plan", "--detailed-exitcode").returncode == 0
    policy = lab.server.request("GET", "sys/policies/acl/homestack-app")["data"]["policy"]
    assert 'path "secret/data/app"' in policy


def test_lost_answers_and_server_errors_converge_without_a_second_value(
        proxied: tuple[VaultLab, FaultyProxy]) -> None:
    lab, proxy = proxied
    proxy.faults.set(0.1, drop_rate=0.1, statuses=(502, 500))
    proxy.faults.fail_next(DROP)
    results = [lab.run("apply", "--yes").returncode for _ in range(4)]
    proxy.faults.set(0.0)
    final = lab.run("apply", "--yes")
    assert final.returncode == 0, final.stdout + final.stderr
    assert proxy.faults.total > 0, results
    secret = lab.server.request("GET", "secret/data/app")["data"]
    assert len(secret["data"]["admin_password"]) == 24
    assert secret["data"]["token"] == "planted"
    assert lab.run("plan", "--detailed-exitcode").returncode == 0


def test_a_vault_that_is_down_fails_only_the_stacks_that_use_it(
        proxied: tuple[VaultLab, FaultyProxy]) -> None:
    lab, proxy = proxied
    folder = lab.root / "stacks" / "platform"  # the Stack every other one needs
    folder.mkdir()
    (folder / "stack.py").write_text(PLAIN)
    proxy.faults.set(1.0, statuses=(503,))
    done = lab.run("apply", "--yes", "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    outcomes = {s["stack"]: (s["outcome"], s["error"]) for s in json.loads(done.stdout)["stacks"]}
    assert outcomes["platform"] == ("applied", "")
    outcome, error = outcomes["app"]
    assert outcome == "failed" and error.count("\n") == 0
    assert "vault refused the request" in error and "503" in error
    proxy.faults.set(0.0)
    assert lab.run("apply", "--yes").returncode == 0
    assert lab.run("plan", "--detailed-exitcode").returncode == 0
