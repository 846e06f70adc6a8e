"""The Traefik middleware chain of an ingress, as data: (step, condition) in the fixed order.

real-ip → retry → error-pages → rate-limit → CSP headers → AI-bot block → anti-AI headers →
auth (the forward-auth outpost for ``required``, the anonymous public outpost for ``public``) →
local-only → scale-to-zero → custom CSP → buffering → extras. Shared middlewares live in
the ``traefik`` namespace; per-ingress ones (local-only, sablier, custom CSP, buffering) in the
Stack's namespace, named ``<ingress>-<step>``. CrowdSec and compression run at the entry point,
before all of these, so they are not listed here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

SHARED_NAMESPACE = "traefik"
PROVIDER = "kubernetescrd"


@dataclass(frozen=True)
class ChainOptions:
    """What decides which steps an ingress gets."""

    pow: bool = False
    rate_limit: bool = True
    custom_csp: bool = False
    anti_ai: bool = False
    forward_auth: bool = False
    public_auth: bool = False
    lan_only: bool = False
    scale_to_zero: bool = False
    max_body: bool = False
    extras: tuple[str, ...] = ()


class Step(enum.Enum):
    """One middleware of the chain; the value is its name (shared) or suffix (per-ingress)."""

    REAL_IP = "real-ip"
    RETRY = "retry"
    ERROR_PAGES = "error-pages"
    RATE_LIMIT = "rate-limit"
    CSP_HEADERS = "csp-headers"
    AI_BOT_BLOCK = "ai-bot-block"
    ANTI_AI_HEADERS = "anti-ai-headers"
    AUTH = "authentik-forward-auth"
    PUBLIC_AUTH = "authentik-public"
    LOCAL_ONLY = "local-only"
    SCALE_TO_ZERO = "sablier"
    CUSTOM_CSP = "csp"
    BUFFERING = "buffering"


PER_INGRESS = frozenset({Step.LOCAL_ONLY, Step.SCALE_TO_ZERO, Step.CUSTOM_CSP, Step.BUFFERING})

CHAIN: tuple[tuple[Step, Callable[[ChainOptions], bool]], ...] = (
    (Step.REAL_IP, lambda o: o.pow),
    (Step.RETRY, lambda o: True),
    (Step.ERROR_PAGES, lambda o: True),
    (Step.RATE_LIMIT, lambda o: o.rate_limit),
    (Step.CSP_HEADERS, lambda o: not o.custom_csp),
    (Step.AI_BOT_BLOCK, lambda o: o.anti_ai),
    (Step.ANTI_AI_HEADERS, lambda o: o.anti_ai),
    (Step.AUTH, lambda o: o.forward_auth),
    (Step.PUBLIC_AUTH, lambda o: o.public_auth and not o.forward_auth),
    (Step.LOCAL_ONLY, lambda o: o.lan_only),
    (Step.SCALE_TO_ZERO, lambda o: o.scale_to_zero),
    (Step.CUSTOM_CSP, lambda o: o.custom_csp),
    (Step.BUFFERING, lambda o: o.max_body),
)


def reference(namespace: str, name: str) -> str:
    """The Traefik reference of a Middleware: ``<namespace>-<name>@kubernetescrd``."""
    return f"{namespace}-{name}@{PROVIDER}"


def per_ingress_name(ingress: str, step: Step) -> str:
    """Name of a per-ingress Middleware object."""
    return f"{ingress}-{step.value}"


def extra_reference(extra: str, namespace: str) -> str:
    """An extra as given: ``x@provider`` stays, ``ns/name`` and ``name`` become references."""
    if "@" in extra:
        return extra
    space, _, name = extra.rpartition("/")
    return reference(space or namespace, name)


def steps(options: ChainOptions) -> list[Step]:
    """The steps ``options`` turn on, in chain order."""
    return [step for step, wanted in CHAIN if wanted(options)]


def middlewares(options: ChainOptions, namespace: str, ingress: str) -> list[str]:
    """The router.middlewares entries, in chain order, without duplicates."""
    out: list[str] = []
    for step in steps(options):
        if step in PER_INGRESS:
            out.append(reference(namespace, per_ingress_name(ingress, step)))
        else:
            out.append(reference(SHARED_NAMESPACE, step.value))
    out.extend(extra_reference(extra, namespace) for extra in options.extras)
    return list(dict.fromkeys(out))
