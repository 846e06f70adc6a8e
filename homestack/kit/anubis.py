"""anubis: the proof-of-work proxy in front of public content, wired into the ingress.

``anubis(stack, backend)`` declares the policy ConfigMap (a ``trusted-local`` rule for the Site's
LAN CIDRs first, then Anubis's defaults), a two-replica Deployment with a PDB, its Service, and
the signing key from Vault through the Stack's ExternalSecret. ``ingress`` routes to the handle
(or builds one with ``pow=True``) and adds the real-ip middleware. Anubis never fronts git,
WebDAV, CalDAV or API backends: their clients cannot solve a challenge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from homestack.kit._arguments import checked
from homestack.kit._backend import Backend
from homestack.kit._controller import Pdb, Workload
from homestack.kit._meta import check_name, metadata
from homestack.kit._strict import strict
from homestack.kit.workload import deployment
from homestack.model import ModelError, RenderContext, Resource, SecretRef, Stack

IMAGE = "ghcr.io/techarohq/anubis:v1.21.3"
PORT = 8923
POLICY_FILE = "botPolicy.yaml"
REFUSED_KINDS = ("git", "webdav", "caldav", "api")


def refuse_pow(backend_kind: str, subject: str) -> None:
    """Raise when ``backend_kind`` is one a PoW challenge would break."""
    if backend_kind in REFUSED_KINDS:
        raise ModelError(
            f"anubis cannot front a {backend_kind} backend",
            subject=subject,
            hint="Git, WebDAV, CalDAV and API clients cannot solve a proof-of-work challenge; "
            "drop pow= or carve the path out with its own auth",
        )


@dataclass
class AnubisPolicy:
    """The bot policy ConfigMap; mountable into the Anubis pod."""

    name: str

    @property
    def volume_name(self) -> str:
        """Name of the pod volume."""
        return "policy"

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        """The ConfigMap volume."""
        return {"configMap": {"name": self.name}}

    def render(self, context: RenderContext) -> Sequence[Resource]:
        cidrs = list(context.site.edge.lan_cidrs)
        if not cidrs:
            raise ModelError(
                f"anubis {self.name!r} needs the Site's LAN CIDRs for its trusted-local rule",
                hint="Set Site(edge=Edge(lan_cidrs=(...)))",
            )
        policy = {"bots": [
            {"name": "trusted-local", "action": "ALLOW", "remote_addresses": cidrs},
            {"import": "(data)/meta/default-config.yaml"},
        ]}
        body = {"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": metadata(context.stack, self.name),
                "data": {POLICY_FILE: yaml.safe_dump(policy, sort_keys=False)}}
        return [Resource.k8s(body)]


@dataclass(frozen=True)
class Anubis:
    """The handle of a PoW proxy: route an ingress to it."""

    name: str
    fronts: Backend
    workload: Workload
    backend_kind: str = "web"

    @property
    def service(self) -> str:
        """Service of the proxy."""
        return self.workload.service

    @property
    def port(self) -> int:
        """Port of the proxy."""
        return PORT


@strict
@checked
def anubis(
    stack: Stack,
    backend: Backend,
    *,
    name: str | None = None,
    difficulty: int = 4,
    key: SecretRef | None = None,
    replicas: int = 2,
    owned_elsewhere: Sequence[str] = (),
) -> Anubis:
    """Put the Anubis PoW proxy in front of ``backend``; pass the handle to ``ingress``.

    ``key`` is the ed25519 signing key (default ``secret/<stack>#anubis_private_key``);
    ``owned_elsewhere`` lists fields of the proxy's Deployment another controller owns.

    Example::

        blog = deployment(stack, "blog", image="ghcr.io/acme/blog:1.0.0", port=80, ...)
        ingress(stack, anubis(stack, blog), host="blog", auth=auth.none("PoW-fronted blog"))
    """
    proxy = name or f"{backend.name}-anubis"
    check_name(proxy, "anubis")
    refuse_pow(getattr(backend, "backend_kind", "web"), f"anubis {proxy}")
    if backend.port is None:
        raise ModelError(f"anubis {proxy} fronts {backend.name!r}, which has no port",
                         hint="Give the backend a port")
    if not 1 <= difficulty <= 8:
        raise ModelError(f"anubis difficulty {difficulty} is out of range 1-8")
    policy = AnubisPolicy(name=f"{proxy}-policy")
    stack.add(policy)
    signing = key or SecretRef(path=f"secret/{stack.name}", key="anubis_private_key")
    target = f"http://{backend.service}.{stack.namespace}.svc.cluster.local:{backend.port}"
    workload = deployment(
        stack, proxy, image=IMAGE, memory="128Mi", cpu="50m", replicas=replicas, port=PORT,
        env={"BIND": f":{PORT}", "TARGET": target, "DIFFICULTY": difficulty,
             "POLICY_FNAME": f"/data/cfg/{POLICY_FILE}", "SERVE_ROBOTS_TXT": True,
             "ED25519_PRIVATE_KEY_HEX": signing},
        mounts={"/data/cfg": policy}, pdb=Pdb(max_unavailable=1),
        owned_elsewhere=owned_elsewhere,
    )
    return Anubis(name=proxy, fronts=backend, workload=workload)
