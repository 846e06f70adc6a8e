"""Rules on Authentik blueprints: every blueprint file in a ConfigMap of the ``authentik``
namespace has Authentik's structure (version 1, entries with model, identifiers, attrs and
state, models Authentik knows)."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from homestack.policy import _manifest as m
from homestack.policy.blueprint_format import load, problems
from homestack.policy.blueprints import NAMESPACE
from homestack.policy.context import PolicyContext
from homestack.policy.rule import Hit, Rule, Scope, Severity, declared_at

BLUEPRINT_SUFFIXES = (".yaml", ".yml")


def _structure(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind("ConfigMap"):
        if item.resource.namespace != NAMESPACE:
            continue
        for key, text in sorted(m.as_dict(item.body.get("data")).items()):
            if not str(key).endswith(BLUEPRINT_SUFFIXES):
                continue
            prefix = f"{declared_at(item.resource)}blueprint {key}: "
            try:
                found = problems(load(str(text)))
            except yaml.YAMLError as error:
                found = [f"not YAML ({str(error).splitlines()[0]})"]
            for problem in found:
                yield Hit(item.stack, item.address, prefix + problem)


RULES = (
    Rule("HS-AUTHENTIK-001", "Authentik blueprints have the blueprint structure", Severity.ERROR,
         "The worker skips a blueprint it cannot parse and only logs it: groups, users or "
         "applications silently go missing and forward-auth denies everyone.",
         "Write version: 1 and entries each with model, identifiers, attrs and state "
         "(present, created, must_created or absent), using Authentik's app.model names",
         _structure, scope=Scope.STACK),
)
