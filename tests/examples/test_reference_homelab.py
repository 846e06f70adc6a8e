"""The reference homelab as a regression fixture: size, kit coverage, chain, policy and schemas.

The homelab is loaded and governed once per module; every check reads that one result.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from homestack.catalog import load
from homestack.cli import app
from homestack.engine import desired
from homestack.kit import (
    BlockVolume,
    EmptyDir,
    ExternalSecret,
    Ingress,
    LoadBalancer,
    Mount,
    MysqlDatabase,
    Namespace,
    NfsVolume,
    PostgresDatabase,
    RawFile,
    RawManifests,
    WildcardTls,
    Workload,
    WorkloadKind,
)
from homestack.kit.anubis import AnubisPolicy
from homestack.kit.block import BackupTarget
from homestack.kit.secrets import SecretSync
from homestack.model import Resource, StateTier
from homestack.model import annotations as a
from homestack.policy import blocking, check_homelab

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import kubernetes_validate

ROOT = Path(__file__).resolve().parents[2] / "examples" / "reference-homelab"
KUBERNETES = "1.34.0"
BUILT_IN = {
    "v1", "apps/v1", "batch/v1", "policy/v1", "networking.k8s.io/v1", "discovery.k8s.io/v1",
    "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1", "scheduling.k8s.io/v1",
    "node.k8s.io/v1",
}

HOMELAB = load(ROOT)
WANTED = desired(HOMELAB)
RESOURCES = [r for name in sorted(WANTED.resources) for r in WANTED.resources[name]]
K8S = [r for r in RESOURCES if r.provider.value == "k8s"]
CORE = [r for r in K8S if r.api_version in BUILT_IN]
INGRESSES = [r for r in K8S if r.k8s_kind == "Ingress"]
# The seeds' stacks (their catalog). ``osm_routing`` is ``osm-routing`` here: a Stack name is a
# DNS label.
SEEDS_CATALOG = """
ac actualbudget affine android-emulator anisette authentik backup-mx beads-server broker-sync
calico changedetection chesscom-streak ci-pipeline-health city-guesser claude-agent-service
claude-breakglass claude-memory cloudflared cnpg crowdsec cyberchef dashy dawarich dbaas
descheduler diun drone-logbook ebook2audiobook ebooks echo excalidraw executor external-secrets
f1-stream fire-planner forgejo freedify freshrss frigate grampsweb hackmd headscale homepage
immich infra infra-maintenance instagram-poster interview-prep-app isponsorblocktv job-hunter
k8s-dashboard k8s-portal k8s-version-upgrade keel kms kured kyverno learn learning linkwarden
llama-cpp local-path mailserver matrix meshcentral metallb metrics-server monitoring netbox
networking-toolbox nextcloud nextcloud-todos nfs-csi nodelocal-dns novelapp ntfy nvidia
offline-reader openclaw osm-routing paperless-ai paperless-mcp phpipam platform plotting-book
poison-fountain postiz priority-pass privatebin proxmox-csi proxy pvc-autoresizer rbac
real-estate-crawler recruiter-responder redis reloader repowise resume reverse-proxy sablier
sealed-secrets servarr shadowsocks speedtest stem95su stirling-pdf stremio t3-afk t3code tandoor
technitium tor-proxy traefik trek tripit tts tuya-bridge uptime-kuma valia-sites vault
vaultwarden vpa vpn-portal wealthfolio whisper wireguard woodpecker xray
""".split()


def components() -> Iterator[Any]:
    for stack in HOMELAB.stacks.values():
        yield from stack.components


def notes(resource: Resource) -> dict[str, str]:
    return dict(resource.body["metadata"].get("annotations", {}))


def test_the_homelab_has_at_least_130_stacks() -> None:
    assert len(HOMELAB.stacks) >= 130


def test_the_homelab_renders_at_least_1800_kubernetes_objects() -> None:
    assert len(K8S) >= 1800


def test_the_homelab_holds_the_seeds_catalog() -> None:
    missing = sorted(set(SEEDS_CATALOG) - set(HOMELAB.stacks))
    assert missing == []


def test_retired_stacks_declare_nothing() -> None:
    for name in ("stem95su", "vpa", "backup-mx"):
        assert WANTED.resources.get(name, []) == [], name


def test_every_workload_helper_is_used() -> None:
    kinds = {c.kind for c in components() if isinstance(c, Workload)}
    assert kinds == set(WorkloadKind)


def test_every_volume_and_data_helper_is_used() -> None:
    found = list(components())
    types = {type(c) for c in found}
    assert {Ingress, WildcardTls, AnubisPolicy, PostgresDatabase, MysqlDatabase, ExternalSecret,
            SecretSync, Namespace, RawManifests, RawFile} <= types
    assert any(type(c) is NfsVolume for c in found)
    assert any(isinstance(c, BackupTarget) for c in found)
    blocks = {c.sensitive for c in found if isinstance(c, BlockVolume)}
    assert blocks == {True, False}


def test_both_load_balancer_kinds_are_used() -> None:
    dedicated = {c.dedicated for c in components() if isinstance(c, LoadBalancer)}
    assert None in dedicated and dedicated - {None}


def test_workload_options_are_used() -> None:
    workloads = [c for c in components() if isinstance(c, Workload)]
    probes = {probe.check for w in workloads for probe in w.probes}
    assert probes >= {"http", "tcp"}
    targets = [t for w in workloads for t in w.mounts.values()]
    assert any(isinstance(t, Mount) for t in targets)
    assert any(isinstance(t, EmptyDir) for t in targets)
    assert any(w.gpu for w in workloads)
    assert any(w.image_owner == "keel" for w in workloads)
    assert any(w.pdb is not None for w in workloads)
    assert any(w.security is not None for w in workloads)


def test_anubis_is_used_directly_and_through_pow() -> None:
    explicit = [i for i in components() if isinstance(i, Ingress) and i.chain.pow]
    assert {i.service for i in explicit} >= {"ghost-anubis", "cyberchef-anubis"}


def test_every_auth_mode_is_used() -> None:
    modes = {notes(r).get(a.AUTH) for r in INGRESSES}
    assert modes == {"required", "app", "public", "none"}
    groups = {notes(r).get(a.ALLOWED_GROUPS) for r in INGRESSES} - {None, "admins"}
    assert groups, "no ingress narrows auth.required to non-admin groups"


def test_every_dns_mode_is_used() -> None:
    modes = {notes(r).get(a.DNS) for r in INGRESSES}
    assert modes == {"proxied", "non-proxied", "internal", "none"}


def test_every_ingress_option_is_used() -> None:
    chains = [notes(r).get("traefik.ingress.kubernetes.io/router.middlewares", "")
              for r in INGRESSES]
    for step in ("-real-ip@", "-local-only@", "-sablier@", "-csp@", "-buffering@",
                 "nextcloud-dav-redirect@"):
        assert any(step in chain for chain in chains), step
    every = [notes(r) for r in INGRESSES]
    assert any(n.get(a.LAN_ONLY) == "true" for n in every)
    assert any(n.get(a.EXTERNAL_MONITOR) == "true" for n in every)
    assert any(n.get(a.CATALOG_HIDDEN) == "true" for n in every)
    assert all(n.get(a.CATALOG_DESCRIPTION) or n.get(a.CATALOG_HIDDEN) for n in every)
    assert any(isinstance(c, Ingress) and c.carve_outs for c in components())


def test_the_graph_has_at_least_4_waves() -> None:
    assert len(WANTED.graph.waves) >= 4


def test_the_bootstrap_chain_runs_in_order() -> None:
    graph = WANTED.graph
    assert graph.wave_of("infra") == 0
    assert graph.wave_of("infra") < graph.wave_of("platform") < graph.wave_of("vault")
    assert graph.wave_of("vault") < graph.wave_of("external-secrets")
    assert graph.wave_of("external-secrets") < graph.wave_of("dbaas")
    assert graph.wave_of("external-secrets") < graph.wave_of("immich")


def test_bootstrap_stacks_are_in_the_bootstrap_state_tier() -> None:
    bootstrap = {name for name, s in HOMELAB.stacks.items() if s.state_tier is StateTier.BOOTSTRAP}
    expected = {"infra", "platform", "cnpg", "vault", "dbaas", "external-secrets"}
    assert bootstrap == expected == set(HOMELAB.site.state.bootstrap_stacks)
    assert all(r.startswith("age1") for r in HOMELAB.site.state.age_recipients)


def test_no_policy_error_remains() -> None:
    findings = check_homelab(WANTED.homelab, WANTED.resources)
    assert blocking(findings) == []
    warned = [f for f in findings if not f.silenced]
    assert len(warned) <= 5, [f.message for f in warned]


def test_validate_exits_0() -> None:
    result = CliRunner().invoke(app, ["-C", str(ROOT), "validate"])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_three_budget_instances_exist() -> None:
    budget = WANTED.resources["actualbudget"]
    names = {r.object_name for r in budget if r.k8s_kind == "Deployment"}
    assert names == {"budget-alex", "budget-sam", "budget-robin"}
    hosts = {rule["host"] for r in budget if r.k8s_kind == "Ingress"
             for rule in r.body["spec"]["rules"]}
    assert hosts == {f"budget-{p}.example.org" for p in ("alex", "sam", "robin")}


@pytest.mark.parametrize("resource", CORE, ids=lambda r: r.address)
def test_built_in_object_passes_strict_schema(resource: Resource) -> None:
    kubernetes_validate.validate(resource.body, KUBERNETES, strict=True)


def test_stack_files_name_services_by_handle_not_by_dns_name() -> None:
    handwritten = [path.relative_to(ROOT).as_posix() for path in ROOT.glob("stacks/*/stack.py")
                   if "svc.cluster.local" in path.read_text()]
    assert handwritten == []


def test_a_few_stacks_render_as_they_do_in_the_whole_homelab() -> None:
    """The Authentik blueprint lists every ingress, including those of Helm-release Stacks:
    rendering authentik (or any few Stacks) gives their objects as the whole homelab has them."""
    few = desired(load(ROOT), ["authentik", "traefik"])  # a fresh load: no release rendered
    assert set(few.resources) == {"authentik", "traefik"}
    assert few.resources == {name: WANTED.resources[name] for name in few.resources}
