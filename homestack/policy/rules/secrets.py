"""Rules on secrets: no secret values in plain env, no literal Secret objects."""

from __future__ import annotations

import re
from collections.abc import Iterator

from homestack.policy import _manifest as m
from homestack.policy.context import PolicyContext
from homestack.policy.rule import Hit, Rule, Severity

_SECRET_WORDS = frozenset({"PASSWORD", "PASSWD", "PASS", "TOKEN", "SECRET", "KEY", "APIKEY",
                           "CREDENTIALS", "PRIVATE"})
_REFERENCE_SUFFIXES = ("_FILE", "_PATH", "_DIR", "_NAME", "_ID", "_URL")


def looks_secret(name: str) -> bool:
    """True for env names like DB_PASSWORD, API_TOKEN or SECRET_KEY_BASE (not *_FILE)."""
    upper = name.upper()
    if upper.endswith(_REFERENCE_SUFFIXES):
        return False
    return bool(set(re.split(r"[^A-Z0-9]+", upper)) & _SECRET_WORDS)


def looks_like_path(value: object) -> bool:
    """True for a file path (``/opt/id_rsa``, ``~/.ssh/key``): it names a secret, it is none."""
    text = str(value).strip()
    return text.startswith(("/", "~/", "./")) and not any(c.isspace() for c in text)


def _plain_env(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        for container in m.containers(m.pod_spec(item.body)):
            for env in m.as_list(container.get("env")):
                env = m.as_dict(env)
                name, value = str(env.get("name", "")), env.get("value")
                if value not in (None, "") and looks_secret(name) and not looks_like_path(value):
                    yield Hit(item.stack, item.address,
                              f"container {container.get('name', '?')!r} sets {name} to a "
                              "literal value")


def _literal_secret(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind("Secret"):
        keys = sorted(set(m.as_dict(item.body.get("data")))
                      | set(m.as_dict(item.body.get("stringData"))))
        if keys:
            yield Hit(item.stack, item.address,
                      f"Secret {item.name} holds literal values ({', '.join(keys)})")


RULES = (
    Rule("HS-SECRET-001", "no secret values in plain env", Severity.ERROR,
         "A literal password in a manifest lands in Git, plans, state and logs.",
         "Reference a Secret (valueFrom.secretKeyRef) fed by an ExternalSecret from Vault",
         _plain_env),
    Rule("HS-SECRET-002", "no Secret objects with literal data", Severity.ERROR,
         "Secret values belong in Vault; ExternalSecrets sync them into the cluster.",
         "Store the values in Vault and declare an ExternalSecret (kit: external_secret)",
         _literal_secret),
)
