"""The reference homelab applied end to end: Kubernetes objects to the real control plane
(admitted by its quota, LimitRange, priority, Pod Security and service account plugins, rolled
out by its controllers and scheduler onto Nodes made from the Site's VMs), Vault objects to a
real OpenBao backed by real PostgreSQL and MariaDB, internal DNS to a real BIND, public DNS and
VMs to the Cloudflare and Proxmox fakes. A second plan finds nothing to do, and every
Deployment and StatefulSet is available."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homestack.catalog import load
from homestack_testing.bind import BindServer
from homestack_testing.cloudflare import CloudflareApi
from homestack_testing.controlplane import ControlPlane
from homestack_testing.controlplane.sitenodes import site_nodes
from homestack_testing.homelabs import copy_homelab
from homestack_testing.mariadb import MariaDbServer
from homestack_testing.openbao import OpenBaoServer
from homestack_testing.proxmox import FakePve, require_openssl
from tests.providers.dns_provider.conftest import TOKEN_ENV, TSIG_ENV, query
from tests.providers.proxmox.conftest import TEMPLATE, TOKEN
from tests.providers.vault.test_reference_homelab import _plant
from tests.state.conftest import PostgresServer

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference-homelab"
# The nvidia Stack's time-slicing config advertises each GPU eight times.
GPU_SLOTS = 8
OVERRIDE = '''
# Test override: every provider at a test server, state in SQLite only.
from homestack.model import (CloudflareDns, CloudInit, Cluster, DnsSettings, NodeJoin,
                             Proxmox, Rfc2136Dns, StateSettings, VaultDatabase, VaultSettings)

site = site.model_copy(update={{
    "cluster": Cluster(),
    "state": StateSettings(lease_ttl_seconds=5.0),
    "vault": VaultSettings(address="{vault}", databases=(
        VaultDatabase(connection_url="postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:"
                                     "{pg_port}/postgres?sslmode=disable",
                      username="postgres", password="secret/dbaas#vault_password"),
        VaultDatabase(name="mysql", plugin="mysql-database-plugin",
                      connection_url="{{{{username}}}}:{{{{password}}}}@tcp(127.0.0.1:"
                                     "{mysql_port})/",
                      username="vault_admin", password="secret/dbaas#mysql_password"))),
    "dns": DnsSettings(
        cloudflare=CloudflareDns(zones=("example.org",), base_url="{cloudflare}",
                                 token_env="{token_env}"),
        rfc2136=Rfc2136Dns(server="127.0.0.1", port={bind_port},
                           zones=("home.arpa", "example.org"),
                           tsig_key_name="{tsig_name}", tsig_secret_env="{tsig_env}")),
    "proxmox": Proxmox(
        url="{pve}", ca_file="{pve_cert}", template=9000, task_timeout=30.0,
        snippets_dir="{snippets}",
        cloud_init=CloudInit(user="ops", ssh_keys=("ssh-ed25519 AAAAC3Nz ops@lab",),
                             nameservers=("10.0.20.201",), search_domain="home.arpa"),
        join=NodeJoin(endpoint="10.0.20.100:6443")),
}})
'''


class ReferenceLab:
    """The reference homelab wired to every test server, and its command line."""

    def __init__(self, root: Path, cluster: ControlPlane, env: dict[str, str]) -> None:
        self.root, self.cluster, self.env = root, cluster, env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "homestack", "-C", str(self.root), *args],
                              capture_output=True, text=True, env=self.env, check=False,
                              timeout=1200)


@pytest.fixture
def lab(tmp_path: Path, kube_cluster: ControlPlane, openbao: OpenBaoServer,
        postgres_server: PostgresServer, mariadb: MariaDbServer, bind: BindServer,
        cloudflare_api: CloudflareApi) -> Iterator[ReferenceLab]:
    require_openssl()
    pve = FakePve(tmp_path / "pve").start()
    pve.add_template(9000, "debian-cloud", TEMPLATE)
    root = tmp_path / "homelab"
    copy_homelab(REFERENCE, root)
    site = root / "site.py"
    site.write_text(site.read_text() + OVERRIDE.format(
        vault=openbao.address, pg_port=postgres_server.port, mysql_port=mariadb.port,
        cloudflare=cloudflare_api.url, token_env=TOKEN_ENV, bind_port=bind.port,
        tsig_name=bind.key_name, tsig_env=TSIG_ENV, pve=pve.url, pve_cert=pve.cert,
        snippets=pve.store.snippets_dir))
    _plant(root, openbao, postgres_server, mariadb)
    kube_cluster.set_nodes(site_nodes(load(root).site, gpu_slots_per_device=GPU_SLOTS))
    env = {**os.environ, **TOKEN, "KUBECONFIG": str(kube_cluster.kubeconfig),
           "VAULT_TOKEN": openbao.token, TOKEN_ENV: cloudflare_api.token,
           TSIG_ENV: bind.secret, "NO_COLOR": "1", "COLUMNS": "200"}
    try:
        yield ReferenceLab(root, kube_cluster, env)
    finally:
        pve.stop()


def _unavailable(cluster: ControlPlane) -> list[str]:
    """Deployments and StatefulSets whose replicas are not all available."""
    client = cluster.client()
    missing = []
    for path, ready in (("/apis/apps/v1/deployments", "availableReplicas"),
                        ("/apis/apps/v1/statefulsets", "readyReplicas")):
        for item in client.get(path).body["items"]:
            want = item["spec"].get("replicas", 1)
            have = (item.get("status") or {}).get(ready, 0)
            if have != want:
                meta = item["metadata"]
                missing.append(f"{item['kind']} {meta['namespace']}/{meta['name']}: "
                               f"{have}/{want}")
    return missing


def _failures(done: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    try:
        data: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(done.stdout + done.stderr) from None
    return [(s["stack"], s.get("error", "")) for s in data["stacks"]
            if s.get("outcome") in ("failed", "blocked")]


def test_the_reference_homelab_applies_to_a_real_cluster_and_every_provider(
        lab: ReferenceLab, bind: BindServer, cloudflare_api: CloudflareApi,
        openbao: OpenBaoServer) -> None:
    applied = lab.run("apply", "--yes", "--json", "--parallelism", "4")
    assert _failures(applied) == [], applied.stderr[-3000:]
    assert applied.returncode == 0, applied.stderr[-3000:]
    lab.cluster.audit.reset_stats()
    again = lab.run("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout[-5000:] + again.stderr[-3000:]
    # The no-op plan read the cluster one LIST per kind (two where it looked for objects to
    # adopt) and wrote nothing, not even a dry-run.
    stats = lab.cluster.audit.stats()
    assert set(stats["by_verb"]) <= {"list", "get"}, stats["by_verb"]
    lists = {res: n for (verb, res), n in stats["counts"].items() if verb == "list"}
    assert lists and max(lists.values()) <= 2, lists
    assert stats["counts"].get(("get", "discovery"), 0) == stats["by_verb"].get("get", 0)
    assert _unavailable(lab.cluster) == []
    # Every provider was written, not skipped.
    assert cloudflare_api.records("example.org")
    assert openbao.request("GET", "auth/kubernetes/role/external-secrets")["data"]
    assert query(bind, "ollama.home.arpa", "A")
