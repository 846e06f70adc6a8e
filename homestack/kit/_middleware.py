"""Per-ingress Traefik Middleware objects: local-only, Sablier, custom CSP and buffering."""

from __future__ import annotations

from typing import Any

from homestack.kit._chain import Step, per_ingress_name
from homestack.kit._meta import metadata
from homestack.model import ModelError, RenderContext

TRAEFIK_API = "traefik.io/v1alpha1"
SABLIER_URL = "http://sablier.sablier.svc.cluster.local:10000"
SABLIER_SESSION = "30m"


def _middleware(context: RenderContext, ingress: str, step: Step,
                spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": TRAEFIK_API, "kind": "Middleware",
            "metadata": metadata(context.stack, per_ingress_name(ingress, step)), "spec": spec}


def local_only(context: RenderContext, ingress: str) -> dict[str, Any]:
    """An ipAllowList of the Site's LAN CIDRs."""
    cidrs = list(context.site.edge.lan_cidrs)
    if not cidrs:
        raise ModelError(
            f"ingress {ingress!r} is LAN-only but the Site names no LAN CIDRs",
            hint="Set Site(edge=Edge(lan_cidrs=(...)))",
        )
    return _middleware(context, ingress, Step.LOCAL_ONLY, {"ipAllowList": {"sourceRange": cidrs}})


def sablier(context: RenderContext, ingress: str, group: str, display: str) -> dict[str, Any]:
    """The Sablier plugin: wake ``group`` on a request, show a waiting page."""
    config = {"sablierUrl": SABLIER_URL, "group": group, "sessionDuration": SABLIER_SESSION,
              "dynamic": {"displayName": display, "showDetails": True, "theme": "ghost",
                          "refreshFrequency": "5s"}}
    return _middleware(context, ingress, Step.SCALE_TO_ZERO, {"plugin": {"sablier": config}})


def custom_csp(context: RenderContext, ingress: str, policy: str) -> dict[str, Any]:
    """Headers with the ingress's own Content-Security-Policy."""
    return _middleware(context, ingress, Step.CUSTOM_CSP,
                       {"headers": {"contentSecurityPolicy": policy}})


def buffering(context: RenderContext, ingress: str, max_bytes: int) -> dict[str, Any]:
    """Buffering that caps the request body."""
    return _middleware(context, ingress, Step.BUFFERING,
                       {"buffering": {"maxRequestBodyBytes": max_bytes}})
