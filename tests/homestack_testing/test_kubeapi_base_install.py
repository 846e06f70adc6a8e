"""The loopback API server works with the base install: without kubernetes-validate's schemas."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import importlib.abc, sys

    class Hide(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "kubernetes_validate":
                raise ModuleNotFoundError(name)
            return None

    sys.meta_path.insert(0, Hide())
    from homestack_testing.kubeapi import KubeApiServer
    from homestack_testing.kubeapi.client import Client
    from tests.homestack_testing.test_kubeapi_crds_readiness import CRD, CRD_URL, GADGETS

    with KubeApiServer(crd_delay_ms=0) as server:
        api = Client(server.url)
        assert api.post(CRD_URL, CRD).code == 201
        gadget = {"apiVersion": "example.com/v1", "kind": "Gadget",
                  "metadata": {"name": "g", "labels": {"a": "b"}},
                  "spec": {"items": [{"id": "a", "v": 1}]}}
        for _ in range(100):
            if api.get("/apis/example.com/v1").code == 200:
                break
        created = api.apply(GADGETS + "/g", gadget, manager="alice")
        print(created.code)
        print(api.get(GADGETS + "/g").body["metadata"]["labels"])
''')


def test_custom_resources_are_served_without_kubernetes_validate() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:2] == ["201", "{'a': 'b'}"]
