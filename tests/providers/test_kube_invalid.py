"""Invalid objects fail at once: the loopback server answers a typo in a server-side apply with
the real 500 "failed to create typed patch object", and an invalid value with 422; neither is
retried, and the failure names the field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homestack.engine import Action, FailureKind

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab

DEPLOYMENTS = "deployments"


def _patches(lab: KubeLab) -> int:
    counts = lab.server.stats()["counts"]
    return sum(n for (verb, resource), n in counts.items()
               if verb.upper() == "PATCH" and resource == DEPLOYMENTS)


def test_a_typo_in_a_raw_body_fails_in_one_request_naming_the_field(kubelab: KubeLab) -> None:
    assert not kubelab.apply().failed
    kubelab.edit("web", '"spec": {"replicas": REPLICAS, ', '"spec": {"replica": 3, ')
    kubelab.server.reset_stats()
    planned = kubelab.plan(["web"])
    assert _patches(kubelab) == 1  # the dry-run, answered 500, not retried
    [failed] = [c for s in planned.stacks for c in s.changes if c.action is Action.FAILED]
    assert failed.failure is not None and failed.failure.kind is FailureKind.INVALID
    assert failed.failure.fields == ("spec.replica",)
    assert "spec.replica" in failed.failure.message
    kubelab.server.reset_stats()
    applied = kubelab.apply(names=["web"])
    assert _patches(kubelab) == 1  # the write itself, once
    [web] = applied.failed
    assert "spec.replica" in web.error and "field not declared in schema" in web.error


def test_an_invalid_value_fails_in_one_request_naming_the_field(kubelab: KubeLab) -> None:
    assert not kubelab.apply().failed
    kubelab.edit("web", '"name": "web", "image"', '"name": "web", "imagePullPolicy": '
                 '"Sometimes", "image"')
    kubelab.server.reset_stats()
    applied = kubelab.apply(names=["web"])
    assert _patches(kubelab) == 1
    [web] = applied.failed
    assert "spec.template.spec.containers[0].imagePullPolicy" in web.error
    assert "Unsupported value" in web.error
