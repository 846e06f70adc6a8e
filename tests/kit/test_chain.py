"""The middleware chain follows the fixed order of the reference facts for every combination."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from homestack import Stack
from homestack.kit import auth, deployment, ingress
from homestack.kit.auth import Auth
from tests.kit.support import SITE

# The order from the reference facts, written out independently of the kit's table.
ORDER = ["real-ip", "retry", "error-pages", "rate-limit", "csp-headers", "ai-bot-block",
         "anti-ai-headers", "authentik-forward-auth", "authentik-public", "local-only",
         "sablier", "csp", "buffering", "extra-a", "extra-b"]
AUTHS: dict[str, Auth] = {"required": auth.required(), "app": auth.app("own login"),
                          "public": auth.public(), "none": auth.none("webhook")}
FLAGS = ["pow", "rate_limit", "csp", "lan_only", "scale_to_zero", "max_body", "extras"]
COMBOS = [(mode, dict(zip(FLAGS, bits, strict=True)))
          for mode in AUTHS for bits in itertools.product((False, True), repeat=len(FLAGS))]


def _expected(mode: str, flags: dict[str, bool]) -> list[str]:
    anti_ai = mode in ("app", "none")
    wanted = {
        "real-ip": flags["pow"], "retry": True, "error-pages": True,
        "rate-limit": flags["rate_limit"], "csp-headers": not flags["csp"],
        "ai-bot-block": anti_ai, "anti-ai-headers": anti_ai,
        "authentik-forward-auth": mode == "required",
        "authentik-public": mode == "public",
        "local-only": flags["lan_only"], "sablier": flags["scale_to_zero"],
        "csp": flags["csp"], "buffering": flags["max_body"],
        "extra-a": flags["extras"], "extra-b": flags["extras"],
    }
    return [step for step in ORDER if wanted[step]]


def _step(entry: str) -> str:
    name = entry.removesuffix("@kubernetescrd")
    for prefix in ("traefik-", "app-web-", "app-"):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def _chain(mode: str, flags: dict[str, bool]) -> list[str]:
    stack = Stack("app")
    web = deployment(stack, "web", image="ghcr.io/acme/web:1.0.0", port=80, memory="64Mi",
                     cpu="10m")
    options: dict[str, Any] = {
        "pow": flags["pow"], "rate_limit": flags["rate_limit"],
        "csp": "default-src 'self'" if flags["csp"] else None, "lan_only": flags["lan_only"],
        "scale_to_zero": flags["scale_to_zero"],
        "max_body_size": "5Mi" if flags["max_body"] else None,
        # a duplicate of a shared step must not appear twice
        "middlewares": ["extra-a", "app/extra-b", "traefik-retry@kubernetescrd"]
        if flags["extras"] else [],
    }
    ingress(stack, web, auth=AUTHS[mode], **options)
    rendered = [r for r in stack.render(SITE) if r.k8s_kind == "Ingress"]
    value = rendered[0].body["metadata"]["annotations"][
        "traefik.ingress.kubernetes.io/router.middlewares"]
    return [_step(entry) for entry in value.split(",")]


@pytest.mark.parametrize(("mode", "flags"), COMBOS,
                         ids=[f"{m}-" + "".join("1" if v else "0" for v in f.values())
                              for m, f in COMBOS])
def test_middleware_order_matches_the_facts(mode: str, flags: dict[str, bool]) -> None:
    assert _chain(mode, flags) == _expected(mode, flags)


def test_explicit_anti_ai_overrides_the_auth_default() -> None:
    stack = Stack("app")
    web = deployment(stack, "web", image="ghcr.io/acme/web:1.0.0", port=80, memory="64Mi",
                     cpu="10m")
    ingress(stack, web, auth=auth.required(), anti_ai=True)
    value = next(r for r in stack.render(SITE) if r.k8s_kind == "Ingress").body["metadata"][
        "annotations"]["traefik.ingress.kubernetes.io/router.middlewares"]
    assert "traefik-ai-bot-block@kubernetescrd" in value


def test_public_ingress_uses_the_public_outpost_not_forward_auth() -> None:
    """The rendered chain of ``auth.public()`` names the anonymous outpost's middleware."""
    flags = dict.fromkeys(FLAGS, False)
    public, required = _chain("public", flags), _chain("required", flags)
    assert "authentik-public" in public and "authentik-forward-auth" not in public
    assert "authentik-forward-auth" in required and "authentik-public" not in required
