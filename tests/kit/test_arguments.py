"""A kit helper called with a plainly mistyped or unknown argument names the argument."""

from __future__ import annotations

import re
from typing import Any

import pytest

from homestack import Stack
from homestack.kit import cronjob, deployment, nfs_volume, raw
from homestack.model import ModelError

BASE: dict[str, Any] = {"image": "docker.io/traefik/whoami:v1.10.3", "memory": "32Mi",
                        "cpu": "10m"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"replicas": "3"}, "deployment: replicas='3' must be a whole number, not str"),
    ({"replicas": True}, "deployment: replicas=True must be a whole number, not bool"),
    ({"image": 5}, "deployment: image=5 must be a string, not int"),
    ({"args": "--once"}, "deployment: args='--once' must be a list of strings, not str"),
    ({"args": ["--x", 3]}, "deployment: args=['--x', 3] must be a list of strings"),
    ({"critical": "yes"}, "deployment: critical='yes' must be True or False, not str"),
    ({"env": ["A=1"]}, "deployment: env=['A=1'] must be a dict, not list"),
    ({"colour": "red"}, "deployment() got an unexpected keyword 'colour'"),
])
def test_deployment_names_the_argument(changes: dict[str, Any], message: str) -> None:
    stack = Stack("app")
    with pytest.raises(ModelError, match="^" + re.escape(message)):
        deployment(stack, "web", **{**BASE, **changes})
    assert stack.components == ()


def test_other_helpers_are_checked_too() -> None:
    stack = Stack("app")
    with pytest.raises(ModelError, match="cronjob: schedule=5 must be a string, not int"):
        cronjob(stack, "sync", schedule=5, **BASE)  # type: ignore[arg-type]
    with pytest.raises(ModelError, match="nfs_volume: export=None must be a string"):
        nfs_volume(stack, "lib", export=None, size="1Gi")  # type: ignore[arg-type]
    with pytest.raises(ModelError, match=r"raw manifests\[0\] is a str \('x'\)"):
        raw(stack, ["x"])  # type: ignore[list-item]
    with pytest.raises(ModelError, match="raw ConfigMap manifest: metadata must be a mapping"):
        raw(stack, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": "x"})


def test_well_typed_arguments_pass() -> None:
    stack = Stack("app")
    web = deployment(stack, "web", replicas=2, args=("--x",), critical=False, env={"A": "1"},
                     **BASE)
    assert web in stack.components  # beside the Namespace the helper implies
