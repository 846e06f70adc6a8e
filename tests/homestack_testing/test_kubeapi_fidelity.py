"""The differential fidelity suite: every probe of ``fidelity/probes.py`` is sent to the real
kube-apiserver (the test control plane) and to the loopback fake; their answers are compared
(status code, Status ``reason``, the fields a refusal names, the body fields a probe lists).

The agreement is printed as a table per area and must not drop below the figure the fake's
README records (``agrees with kube-apiserver vX on N of M probes``): a change that makes the
fake less faithful fails here, and one that makes it more faithful should raise the figure.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from homestack_testing.controlplane import ControlPlane
from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.client import Client, Response
from tests.homestack_testing.fidelity.probes import PROBES, SCS, Probe, Step, storage_class

README = Path(__file__).resolve().parents[2] / "homestack_testing" / "kubeapi" / "README.md"
RECORDED = re.compile(r"agrees\s+with\s+kube-apiserver\s+(\S+)\s+on\s+(\d+)\s+of\s+(\d+)\s+probes")
Outcome = tuple[int, str, tuple[str, ...], tuple[str, ...]]


PLACEHOLDER = re.compile(r"\bNS\b")


def _substitute(value: Any, namespace: str) -> Any:
    if value is None:
        return None
    return json.loads(PLACEHOLDER.sub(namespace, json.dumps(value)))


def _dig(body: Any, path: str) -> str:
    node = body
    for key in path.split("."):
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return "<absent>"
    return json.dumps(node, sort_keys=True)


def outcome(response: Response, fields: tuple[str, ...]) -> Outcome:
    """What is compared of an answer."""
    body = response.body if isinstance(response.body, dict) else {}
    if body.get("kind") == "Status" and not response.ok:
        causes = (body.get("details") or {}).get("causes") or []
        named = tuple(sorted({str(c.get("field", "")) for c in causes if c.get("field")}))
        return response.code, str(body.get("reason", "")), named, ()
    return response.code, "", (), tuple(_dig(body, f) for f in fields)


class Side:
    """One server under probe: an administrator's client and an unprivileged one."""

    def __init__(self, name: str, admin: Client, nobody: Client, patience: float) -> None:
        self.name, self.admin, self.nobody, self.patience = name, admin, nobody, patience

    def send(self, step: Step, namespace: str) -> Response:
        client = self.nobody if step.user == "nobody" else self.admin
        path = PLACEHOLDER.sub(namespace, step.path)
        deadline = time.monotonic() + (self.patience if step.until else 0)
        while True:
            response = client.request(step.method, path, _substitute(step.body, namespace),
                                      step.content_type)
            if not step.until or _dig(response.body, step.until) != "<absent>" or \
                    time.monotonic() > deadline:
                time.sleep(step.settle)
                return response
            time.sleep(0.1)

    def run(self, probe: Probe, namespace: str) -> Outcome:
        made = self.admin.post("/api/v1/namespaces", {
            "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        assert made.ok, (self.name, made.body)
        for step in probe.steps[:-1]:
            self.send(step, namespace)
        return outcome(self.send(probe.steps[-1], namespace), probe.fields)


def _table(rows: list[tuple[Probe, Outcome, Outcome]]) -> str:
    areas: Counter[str] = Counter()
    agreed: Counter[str] = Counter()
    lines = []
    for probe, real, fake in rows:
        areas[probe.area] += 1
        if real == fake:
            agreed[probe.area] += 1
        else:
            lines.append(f"  differs  {probe.area:<12} {probe.name}: real {real[:3]} "
                         f"{real[3] or ''} / fake {fake[:3]} {fake[3] or ''}")
    summary = [f"{'area':<12} {'agree':>5} / {'probes':<6}"]
    summary += [f"{area:<12} {agreed[area]:>5} / {areas[area]:<6}" for area in sorted(areas)]
    total = sum(agreed.values())
    summary.append(f"{'all':<12} {total:>5} / {len(rows):<6} ({100 * total / len(rows):.1f}%)")
    return "\n".join(summary + lines)


def recorded() -> tuple[str, int, int]:
    found = RECORDED.search(README.read_text())
    assert found, f"{README} records no agreement figure"
    return found.group(1), int(found.group(2)), int(found.group(3))


def test_the_fake_agrees_with_the_real_api_server_as_often_as_its_readme_says(
        kube_cluster: ControlPlane) -> None:
    real = Side("real", kube_cluster.client(), Client(
        kube_cluster.url, context=kube_cluster.credentials("nobody").ssl_context()), 20.0)
    # Both clusters have one default StorageClass named "standard".
    made = real.admin.post(SCS, {**storage_class("standard"), "metadata": {
        "name": "standard", "annotations": {
            "storageclass.kubernetes.io/is-default-class": "true"}}})
    assert made.ok, made.body
    rows = []
    with KubeApiServer(ready_after_ms=0) as server:
        fake = Side("fake", Client(server.url), Client(server.url), 2.0)
        for index, probe in enumerate(PROBES):
            namespace = f"fid-{index:03d}"
            rows.append((probe, real.run(probe, namespace), fake.run(probe, namespace)))
    table = _table(rows)
    print(table)
    version = kube_cluster.version()["gitVersion"]
    agreed = sum(1 for _, a, b in rows if a == b)
    at, figure, count = recorded()
    assert count == len(rows) and at == version, \
        f"README records {figure} of {count} probes against {at}; now {agreed} of " \
        f"{len(rows)} against {version}: update the figure\n{table}"
    assert agreed >= figure, f"agreement fell below the README's {figure}:\n{table}"
