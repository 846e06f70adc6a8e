"""Proxmox answers badly: a share of requests throttled or unavailable, answers lost after PVE
did the work, or every request refused. The fake PVE node injects the faults (seeded).

Reads and value settings are retried on any transient failure; a clone, a start or a delete
only when PVE said it did not do it, so nothing is ever done twice."""

from __future__ import annotations

import random

import pytest

from homestack.engine import EngineOptions, FailureKind, StackOutcome
from homestack_testing.faults import DROP
from tests.providers.proxmox.conftest import PveLab

CLUSTER_VMS = 5  # the reference Site's cluster VMs the machines Stack claims


@pytest.fixture
def seeded(pvelab: PveLab) -> PveLab:
    seed = random.randrange(1 << 30)
    print(f"fault seed {seed}")
    pvelab.fake.faults.seed = seed
    pvelab.fake.faults.__post_init__()
    return pvelab


def _vms(lab: PveLab) -> list[int]:
    with lab.fake.store.lock:
        return sorted(v for v in lab.fake.store.vms if v != 9000)


def test_a_fifth_of_requests_throttled_or_unavailable_still_applies_in_one_run(
        seeded: PveLab) -> None:
    seeded.fake.faults.set(0.2, statuses=(503, 429))
    seeded.fake.faults.fail_next(503, 429)
    result = seeded.run("apply", EngineOptions(parallelism=2))
    assert not result.failed, [s.error for s in result.failed]
    assert seeded.fake.faults.total > 0
    seeded.fake.faults.set(0.0)
    assert len(_vms(seeded)) == CLUSTER_VMS
    assert not seeded.run("plan").has_changes


def test_lost_answers_and_proxy_errors_converge_without_doing_anything_twice(
        seeded: PveLab) -> None:
    seeded.fake.faults.set(0.1, drop_rate=0.1, statuses=(502, 504, 503))
    seeded.fake.faults.fail_next(DROP)
    for _ in range(4):
        seeded.run("apply", EngineOptions(parallelism=2))
    seeded.fake.faults.set(0.0)
    final = seeded.run("apply")
    assert not final.failed, [s.error for s in final.failed]
    assert seeded.fake.faults.total > 0
    assert len(_vms(seeded)) == CLUSTER_VMS
    assert not seeded.run("plan").has_changes


def test_a_node_that_refuses_everything_fails_the_stack_in_one_line(seeded: PveLab) -> None:
    seeded.fake.faults.set(1.0, statuses=(503,))
    result = seeded.run("apply")
    [stack] = result.stacks
    assert stack.outcome is StackOutcome.FAILED
    assert "\n" not in stack.error and "injected fault" in stack.error
    assert stack.failure is FailureKind.TRANSIENT
    assert _vms(seeded) == []
    seeded.fake.faults.set(0.0)
    assert not seeded.run("apply").failed
    assert len(_vms(seeded)) == CLUSTER_VMS
