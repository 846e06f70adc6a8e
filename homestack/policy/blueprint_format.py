"""Authentik's blueprint format: the ``!Find``/``!KeyOf`` tags, YAML in and out, structure check.

A blueprint is ``version: 1`` and a list of ``entries``, each with a ``model`` (``app.model``
notation), ``identifiers`` (how Authentik finds the object), ``attrs`` (the fields it sets) and
a ``state`` (``present``, ``created``, ``must_created`` or ``absent``). ``!Find [model, [field,
value]]`` looks an object up by field; ``!KeyOf id`` refers to the primary key of an entry of
the same blueprint by its ``id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

VERSION = 1
STATES = frozenset({"present", "created", "must_created", "absent"})
# The models Homestack writes or accepts in hand-written blueprints (Authentik's app.model names).
KNOWN_MODELS = frozenset({
    "authentik_blueprints.metaapplyblueprint",
    "authentik_core.application",
    "authentik_core.group",
    "authentik_core.token",
    "authentik_core.user",
    "authentik_flows.flow",
    "authentik_flows.flowstagebinding",
    "authentik_outposts.outpost",
    "authentik_policies.policybinding",
    "authentik_policies_expression.expressionpolicy",
    "authentik_providers_oauth2.oauth2provider",
    "authentik_providers_oauth2.scopemapping",
    "authentik_providers_proxy.proxyprovider",
    "authentik_rbac.role",
    "authentik_sources_oauth.oauthsource",
    "authentik_stages_identification.identificationstage",
    "authentik_stages_password.passwordstage",
    "authentik_stages_user_login.userloginstage",
})
_FIND = "!Find"
_KEY_OF = "!KeyOf"


@dataclass(frozen=True)
class Find:
    """``!Find [model, [field, value]]``: the object of ``model`` whose ``field`` is ``value``."""

    model: str
    field: str
    value: str


@dataclass(frozen=True)
class KeyOf:
    """``!KeyOf id``: the primary key of the entry with ``id`` in the same blueprint."""

    entry_id: str


# libyaml's emitter and parser when PyYAML has them: a homelab's blueprint is thousands of lines
_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(_SafeDumper):  # type: ignore[valid-type, misc]
    """Safe YAML plus the two Authentik tags."""


def _find(dumper: yaml.SafeDumper, data: Find) -> yaml.Node:
    return dumper.represent_sequence(_FIND, [data.model, [data.field, data.value]],
                                     flow_style=True)


def _key_of(dumper: yaml.SafeDumper, data: KeyOf) -> yaml.Node:
    # quoted, as PyYAML's pure-Python emitter writes a tagged scalar: the text stays byte-stable
    return dumper.represent_scalar(_KEY_OF, data.entry_id, style="'")


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # multi-line values (policy expressions) as literal blocks, readable in a review
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(Find, _find)
_Dumper.add_representer(KeyOf, _key_of)


class _Loader(_SafeLoader):  # type: ignore[valid-type, misc]
    """Safe YAML that reads Authentik's tags back into ``Find``/``KeyOf`` values."""


def _load_find(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    items = loader.construct_sequence(node, deep=True) if isinstance(
        node, yaml.SequenceNode) else []
    if len(items) == 2 and isinstance(items[1], list) and len(items[1]) == 2:
        return Find(str(items[0]), str(items[1][0]), str(items[1][1]))
    return items  # other !Find forms are Authentik's to judge


def _load_key_of(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return KeyOf(str(loader.construct_scalar(node))) if isinstance(
        node, yaml.ScalarNode) else None


_Loader.add_constructor(_FIND, _load_find)
_Loader.add_constructor(_KEY_OF, _load_key_of)
# Any other Authentik tag (!Context, !Format, !Env, ...) loads as its plain value.
_Loader.add_multi_constructor("!", lambda loader, suffix, node: (
    loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode)
    else loader.construct_mapping(node) if isinstance(node, yaml.MappingNode)
    else loader.construct_scalar(node)))


def dump(blueprint: dict[str, Any]) -> str:
    """The blueprint as YAML; key order is the order given, so output is byte-stable."""
    return yaml.dump(blueprint, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                     width=1000, allow_unicode=True)


def load(text: str) -> Any:
    """Parse blueprint YAML, tags included."""
    return yaml.load(text, Loader=_Loader)


def problems(blueprint: Any) -> list[str]:
    """What is wrong with ``blueprint``'s structure (empty when it is a valid blueprint)."""
    if not isinstance(blueprint, dict):
        return ["a blueprint is a mapping with version and entries"]
    found: list[str] = []
    if blueprint.get("version") != VERSION:
        found.append(f"version is {blueprint.get('version')!r}, expected {VERSION}")
    entries = blueprint.get("entries")
    if not isinstance(entries, list) or not entries:
        return [*found, "entries must be a non-empty list"]
    ids = {e.get("id") for e in entries if isinstance(e, dict) and e.get("id")}
    for index, entry in enumerate(entries):
        where = f"entries[{index}]"
        if not isinstance(entry, dict):
            found.append(f"{where} is not a mapping")
            continue
        model = entry.get("model")
        if model not in KNOWN_MODELS:
            found.append(f"{where}: unknown model {model!r}")
        for key in ("identifiers", "attrs"):
            if not isinstance(entry.get(key), dict):
                found.append(f"{where} ({model}): {key} must be a mapping")
        if entry.get("state") not in STATES:
            found.append(f"{where} ({model}): state {entry.get('state')!r} is not one of "
                         f"{', '.join(sorted(STATES))}")
        found.extend(f"{where} ({model}): !KeyOf {ref} names no entry id"
                     for ref in _key_refs(entry) if ref not in ids)
    return found


def _key_refs(value: Any) -> list[str]:
    if isinstance(value, KeyOf):
        return [value.entry_id]
    if isinstance(value, dict):
        return [ref for item in value.values() for ref in _key_refs(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in _key_refs(item)]
    return []
