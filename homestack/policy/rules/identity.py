"""Rules on the identity roster: group members, namespace owners, unique names, departures."""

from __future__ import annotations

from collections.abc import Iterator

from homestack.model import Role
from homestack.policy.context import PolicyContext
from homestack.policy.rule import SITE_STACK, Hit, Rule, Severity


def _members(ctx: PolicyContext) -> Iterator[Hit]:
    users = {user.name for user in ctx.site.identity.users}
    departed = set(ctx.site.identity.departed)  # reported by HS-IDENTITY-004
    for group in ctx.site.identity.groups:
        for member in group.members:
            if member not in users and member not in departed:
                yield Hit(SITE_STACK, f"site:identity:group/{group.name}",
                          f"group {group.name} lists {member!r}, who is not in the roster")


def _namespace_owners(ctx: PolicyContext) -> Iterator[Hit]:
    owner: dict[str, str] = {}
    for user in ctx.site.identity.users:
        if user.role is not Role.NAMESPACE_OWNER:
            continue
        for namespace in user.namespaces:
            if namespace in owner:
                yield Hit(SITE_STACK, f"site:identity:user/{user.name}",
                          f"namespace {namespace} is owned by {owner[namespace]} and {user.name}")
            else:
                owner[namespace] = user.name


def _unique_users(ctx: PolicyContext) -> Iterator[Hit]:
    names: set[str] = set()
    emails: set[str] = set()
    for user in ctx.site.identity.users:
        address = f"site:identity:user/{user.name}"
        if user.name in names:
            yield Hit(SITE_STACK, address, f"user {user.name} is declared twice")
        if user.email.lower() in emails:
            yield Hit(SITE_STACK, address, f"email {user.email} belongs to two users")
        names.add(user.name)
        emails.add(user.email.lower())


def _departed(ctx: PolicyContext) -> Iterator[Hit]:
    identity = ctx.site.identity
    departed = set(identity.departed)
    for user in identity.users:
        if user.name in departed:
            yield Hit(SITE_STACK, f"site:identity:user/{user.name}",
                      f"user {user.name} is in the roster and among the departed")
    for group in identity.groups:
        for member in sorted(departed & set(group.members)):
            yield Hit(SITE_STACK, f"site:identity:group/{group.name}",
                      f"group {group.name} lists {member!r}, who has departed")


RULES = (
    Rule("HS-IDENTITY-001", "group members are roster users", Severity.WARNING,
         "A member who is not in the roster has no account; the entry is stale or a typo.",
         "Add the user to site.identity.users or remove the member", _members),
    Rule("HS-IDENTITY-002", "a namespace has one namespace-owner", Severity.ERROR,
         "Namespace owners get admin in their namespaces and a custom quota; two owners give "
         "two quotas for one namespace.",
         "Keep the namespace in one user's namespaces", _namespace_owners),
    Rule("HS-IDENTITY-003", "user names and emails are unique", Severity.ERROR,
         "RBAC, Vault policies and dashboard tokens are keyed by user name and email.",
         "Merge or rename the duplicate users", _unique_users),
    Rule("HS-IDENTITY-004", "a departed user is in no roster list", Severity.ERROR,
         "The identity provider would be told to keep the account and to delete it; one of "
         "the two wins at random.",
         "Remove the user from site.identity.users and every group's members, or from "
         "departed", _departed),
)
