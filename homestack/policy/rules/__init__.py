"""The rule registry: every area's rules in one table, plus the rules on silencing itself."""

from __future__ import annotations

from collections.abc import Iterator

from homestack.policy.context import PolicyContext
from homestack.policy.rule import Hit, Rule, Scope, Severity
from homestack.policy.rules import (
    auth,
    authentik,
    identity,
    images,
    network,
    secrets,
    storage,
    tiers,
)
from homestack.policy.rules import dns as dns_rules
from homestack.policy.rules import workloads as workload_rules
from homestack.policy.silence import ignore_entries

_AREA_RULES: tuple[Rule, ...] = (
    *auth.RULES,
    *authentik.RULES,
    *storage.RULES,
    *workload_rules.RULES,
    *network.RULES,
    *identity.RULES,
    *tiers.RULES,
    *images.RULES,
    *secrets.RULES,
    *dns_rules.RULES,
)
_KNOWN = frozenset(rule.id for rule in _AREA_RULES)
_UNSILENCEABLE = frozenset({"HS-POLICY-001", "HS-POLICY-002"})


def _ignore_without_reason(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.all:
        for entry in ignore_entries(item.resource):
            if entry.rule and not entry.reason:
                yield Hit(item.stack, item.address,
                          f"{entry.source} entry {entry.text!r} silences {entry.rule} "
                          "without a reason")


def _ignore_unknown_rule(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.all:
        for entry in ignore_entries(item.resource):
            if not entry.rule:
                yield Hit(item.stack, item.address,
                          f"{entry.source} entry {entry.text!r} does not start with a rule id")
            elif entry.rule in _UNSILENCEABLE:
                yield Hit(item.stack, item.address,
                          f"{entry.source} entry names {entry.rule}, which cannot be silenced")
            elif entry.rule not in _KNOWN:
                yield Hit(item.stack, item.address,
                          f"{entry.source} entry names unknown rule {entry.rule}")


_META_RULES = (
    Rule("HS-POLICY-001", "silencing a rule states a reason", Severity.ERROR,
         "A silenced rule without a reason is indistinguishable from a forgotten hack.",
         "Write the entry as 'HS-AREA-NNN: why this Resource is the exception'",
         _ignore_without_reason, silenceable=False, scope=Scope.STACK),
    Rule("HS-POLICY-002", "silencing names a known rule", Severity.WARNING,
         "An entry for a rule that does not exist silences nothing; it is a typo or stale.",
         "Fix the rule id (see `homestack explain`) or remove the entry",
         _ignore_unknown_rule, silenceable=False, scope=Scope.STACK),
)

RULES: tuple[Rule, ...] = (*_AREA_RULES, *_META_RULES)


def rule(rule_id: str) -> Rule:
    """The rule called ``rule_id``; KeyError when there is none."""
    for candidate in RULES:
        if candidate.id == rule_id.upper():
            return candidate
    raise KeyError(rule_id)


__all__ = ["RULES", "rule"]
