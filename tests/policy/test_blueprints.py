"""Authentik blueprints from the roster and the ingresses: structure, content, determinism."""

from __future__ import annotations

from typing import Any

import pytest

from homestack.model import Group, Role, User
from homestack.model import annotations as a
from homestack.policy import RULES, check_all
from homestack.policy.access import access_matrix
from homestack.policy.blueprint_format import Find, KeyOf, load, problems
from homestack.policy.blueprints import blueprint_yaml, config_map

from .support import SITE, ingress, resources_of, stacks

RESOURCES = resources_of([
    ("app", ingress("web", host="app.example.org", notes={a.ALLOWED_GROUPS: "family"})),
    ("app", ingress("admin", host="admin.example.org", notes={a.ALLOWED_GROUPS: "admins"})),
    ("blog", ingress("blog", namespace="blog", host="blog.example.org",
                     notes={a.AUTH: "none", a.AUTH_REASON: "static site"})),
])


def _document(identity: Any = SITE.identity) -> dict[str, Any]:
    text = blueprint_yaml(identity, access_matrix(identity, RESOURCES))
    loaded = load(text)
    assert isinstance(loaded, dict)
    return loaded


def _entries(document: dict[str, Any], model: str) -> list[dict[str, Any]]:
    return [e for e in document["entries"] if e["model"] == model]


def test_the_blueprint_has_authentiks_structure() -> None:
    document = _document()
    assert problems(document) == []
    assert document["version"] == 1
    for entry in document["entries"]:
        assert {"model", "identifiers", "attrs", "state"} <= set(entry)
        assert entry["state"] == "present"


def test_groups_users_and_memberships_come_from_the_roster() -> None:
    document = _document()
    groups = {e["identifiers"]["name"]: e["attrs"] for e in
              _entries(document, "authentik_core.group")}
    assert set(groups) == {"admins", "family"}
    assert groups["admins"]["is_superuser"] is True and groups["family"]["is_superuser"] is False
    users = {e["identifiers"]["username"]: e["attrs"] for e in
             _entries(document, "authentik_core.user")}
    assert users["bob"]["email"] == "bob@example.org"
    assert users["bob"]["groups"] == [Find("authentik_core.group", "name", "family")]
    assert Find("authentik_core.group", "name", "admins") in users["alice"]["groups"]


def test_one_application_and_proxy_provider_per_required_host_with_the_deny_policy() -> None:
    document = _document()
    apps = {e["identifiers"]["slug"]: e for e in _entries(document, "authentik_core.application")}
    assert set(apps) == {"app-example-org", "admin-example-org"}  # not the public blog
    providers = {e["id"]: e["attrs"] for e in
                 _entries(document, "authentik_providers_proxy.proxyprovider")}
    assert apps["app-example-org"]["attrs"]["provider"] == KeyOf("provider-app-example-org")
    assert providers["provider-app-example-org"]["external_host"] == "https://app.example.org"
    assert providers["provider-app-example-org"]["mode"] == "forward_single"
    (policy,) = _entries(document, "authentik_policies_expression.expressionpolicy")
    expression = policy["attrs"]["expression"]
    assert "'app-example-org': ['family', 'admins']," in expression
    assert "'admin-example-org': ['admins']," in expression
    assert "blog" not in expression
    (outpost,) = _entries(document, "authentik_outposts.outpost")
    assert outpost["attrs"]["providers"] == [KeyOf("provider-admin-example-org"),
                                             KeyOf("provider-app-example-org")]
    bindings = _entries(document, "authentik_policies.policybinding")
    assert sorted(b["identifiers"]["target"].entry_id for b in bindings) == [
        "application-admin-example-org", "application-app-example-org"]


def test_rerendering_is_byte_identical_and_order_independent() -> None:
    rows = access_matrix(SITE.identity, RESOURCES)
    first = blueprint_yaml(SITE.identity, rows)
    shuffled = SITE.identity.model_copy(update={
        "users": tuple(reversed(SITE.identity.users)),
        "groups": tuple(reversed(SITE.identity.groups))})
    assert blueprint_yaml(shuffled, list(reversed(rows))) == first
    assert blueprint_yaml(SITE.identity, rows) == first


def test_a_new_user_changes_the_users_and_their_groups_only() -> None:
    before = _document()
    identity = SITE.identity.model_copy(update={
        "users": (*SITE.identity.users,
                  User(name="carol", role=Role.POWER_USER, email="carol@example.org")),
        "groups": (Group(name="admins", members=("alice",)),
                   Group(name="family", members=("alice", "bob", "carol")))})
    after = _document(identity)
    added = [e for e in after["entries"] if e not in before["entries"]]
    assert [e["identifiers"] for e in added] == [{"username": "carol"}]
    assert [e for e in before["entries"] if e not in after["entries"]] == []


@pytest.mark.parametrize(("text", "message"), [
    ("version: 2\nentries: []\n", "version is 2, expected 1"),
    ("version: 1\nentries:\n- model: authentik_core.group\n  identifiers: {name: a}\n"
     "  attrs: {}\n", "state None is not one of"),
    ("version: 1\nentries:\n- model: authentik_core.group\n  attrs: {}\n  state: present\n",
     "identifiers must be a mapping"),
    ("version: 1\nentries:\n- model: authentik_core.application\n  identifiers: {slug: a}\n"
     "  attrs: {provider: !KeyOf nope}\n  state: present\n", "!KeyOf nope names no entry id"),
])
def test_structure_problems_are_named(text: str, message: str) -> None:
    assert any(message in problem for problem in problems(load(text)))


def test_the_generated_config_map_passes_the_blueprint_rule() -> None:
    resource = config_map(SITE.identity, access_matrix(SITE.identity, RESOURCES))
    assert resource.namespace == "authentik"
    findings = check_all(SITE, stacks({}, {}), {"authentik": [resource]},
                         rules=[r for r in RULES if r.id == "HS-AUTHENTIK-001"])
    assert findings == []


def test_departed_users_are_deleted_from_authentik() -> None:
    identity = SITE.identity.model_copy(update={"departed": ("zoe", "carl")})
    document = _document(identity)
    assert problems(document) == []
    gone = [e for e in _entries(document, "authentik_core.user") if e["state"] == "absent"]
    assert [(e["identifiers"], e["attrs"]) for e in gone] == [
        ({"username": "carl"}, {}), ({"username": "zoe"}, {})]
    present = {e["identifiers"]["username"] for e in _entries(document, "authentik_core.user")
               if e["state"] == "present"}
    assert present == {u.name for u in SITE.identity.users}


def test_a_departed_member_of_a_group_is_an_error_not_a_stale_member() -> None:
    identity = SITE.identity.model_copy(update={
        "departed": ("bob",), "users": tuple(u for u in SITE.identity.users if u.name != "bob")})
    findings = check_all(SITE.model_copy(update={"identity": identity}), stacks(), {})
    found = {(f.rule, f.message) for f in findings if f.rule.startswith("HS-IDENTITY")}
    assert ("HS-IDENTITY-004", "group family lists 'bob', who has departed") in found
    assert not any(rule == "HS-IDENTITY-001" for rule, _ in found)
