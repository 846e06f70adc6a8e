"""Fault injection, latency, request statistics and the command line."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.faults import parse_spec
from homestack_testing.kubeapi.samples import CM_URL, configmap

Factory = Callable[..., KubeApiServer]


def test_percentage_faults_are_roughly_right_and_repeatable(kubeapi_factory: Factory) -> None:
    def failures(seed: int) -> list[int]:
        server = kubeapi_factory(faults=f"seed={seed};get:500:20%")
        api = Client(server.url)
        api.post(CM_URL, configmap())
        return [i for i in range(200) if api.get(f"{CM_URL}/cfg").code == 500]

    first = failures(3)
    assert 20 <= len(first) <= 60  # 20% of 200, give or take
    assert failures(3) == first  # same seed, same requests fail
    assert failures(4) != first


def test_every_nth_with_retry_after(kubeapi: KubeApiServer, api: Client) -> None:
    kubeapi.set_faults("list:429:every5:retry-after=1")
    codes = [api.get(CM_URL) for _ in range(10)]
    assert [r.code for r in codes] == [200, 200, 200, 200, 429] * 2
    throttled = codes[4]
    assert throttled.headers["Retry-After"] == "1"
    assert throttled.body["reason"] == "TooManyRequests" and throttled.body["code"] == 429
    kubeapi.set_faults("")
    assert api.get(CM_URL).code == 200


def test_faults_by_resource_and_verb_only(kubeapi: KubeApiServer, api: Client) -> None:
    kubeapi.set_faults("create/secrets:503:always;patch:409:first1")
    assert api.post(CM_URL, configmap()).code == 201
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}
    assert api.post("/api/v1/namespaces/default/secrets", secret).code == 503
    assert api.patch(f"{CM_URL}/cfg", {"data": {"a": "1"}}).code == 409
    assert api.patch(f"{CM_URL}/cfg", {"data": {"a": "1"}}).code == 200
    assert api.get("/api/v1").code == 200  # discovery is never faulted


def test_dropped_connection(kubeapi: KubeApiServer) -> None:
    kubeapi.set_faults("get:drop:always")
    conn = http.client.HTTPConnection("127.0.0.1", kubeapi.port, timeout=5)
    conn.request("GET", f"{CM_URL}/cfg")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        conn.getresponse()
    conn.close()
    # The server logs the request after closing the socket, so the client may see the drop
    # first: wait (boundedly) for the log entry instead of racing it.
    deadline = time.monotonic() + 5
    while not kubeapi.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert kubeapi.requests[-1].fault == "drop"


def test_bad_fault_specs_are_rejected() -> None:
    for bad in ("get:500", "fetch:500:1%", "get:abc:1%", "get:500:often", "get:500:1%:x=1"):
        with pytest.raises(ValueError):
            parse_spec(bad)
    rules, seed = parse_spec("seed=9; patch:500:10% ;list:429:every5:retry-after=2")
    assert seed == 9 and [r.verb for r in rules] == ["patch", "list"]


def test_latency(kubeapi: KubeApiServer, api: Client) -> None:
    kubeapi.set_latency(50)
    started = time.monotonic()
    api.get(CM_URL)
    assert time.monotonic() - started >= 0.05


def test_stats_counters_over_python_and_http(kubeapi: KubeApiServer, api: Client) -> None:
    api.post(CM_URL, configmap())
    api.get(f"{CM_URL}/cfg")
    api.get(f"{CM_URL}/cfg")
    api.get(CM_URL)
    api.patch(f"{CM_URL}/cfg", {"data": {"a": "1"}})
    api.delete(f"{CM_URL}/cfg")
    stats = kubeapi.stats()
    assert stats["counts"][("get", "configmaps")] == 2
    assert stats["counts"][("list", "configmaps")] == 1
    assert stats["counts"][("create", "configmaps")] == 1
    assert stats["by_verb"]["patch"] == 1 and stats["by_verb"]["delete"] == 1
    assert stats["total"] == 6
    assert [r.verb for r in kubeapi.requests] == ["create", "get", "get", "list", "patch",
                                                  "delete"]
    over_http = api.get("/_kubeapi/stats").body
    assert over_http["total"] == 6
    assert {"verb": "get", "resource": "configmaps", "count": 2} in over_http["counts"]
    assert over_http["requests"][0]["code"] == 201
    assert api.post("/_kubeapi/reset", {}).code == 200
    assert kubeapi.stats()["total"] == 0 and kubeapi.requests == []


def test_command_line_server(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    proc = subprocess.Popen(
        [sys.executable, "-m", "homestack_testing.kubeapi", "--port", "0", "--kubeconfig",
         str(kubeconfig), "--faults", "seed=1;create:500:always"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        config = yaml.safe_load(kubeconfig.read_text())
        assert config["clusters"][0]["cluster"]["server"] == url
        api = Client(url)
        assert api.get("/api/v1/namespaces/default").code == 200
        assert api.post(CM_URL, configmap()).code == 500
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()
