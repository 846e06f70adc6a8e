"""Run the rules over a governed homelab and turn their hits into findings, silencing applied."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from homestack.catalog import Homelab
from homestack.model import Resource, Site, Stack
from homestack.policy.context import PolicyContext
from homestack.policy.rule import Finding, Rule, Scope
from homestack.policy.rules import RULES
from homestack.policy.silence import silencing_reason


def check(ctx: PolicyContext, rules: Iterable[Rule] = RULES) -> list[Finding]:
    """Every finding of ``rules`` on ``ctx``, errors first, silenced ones included."""
    findings = []
    for rule in rules:
        for hit in rule.check(ctx):
            reason = None
            if rule.silenceable and hit.address in ctx.by_address:
                reason = silencing_reason(ctx.by_address[hit.address].resource, rule.id)
            findings.append(Finding(
                rule=rule.id,
                severity=rule.severity,
                stack=hit.stack,
                address=hit.address,
                message=hit.message,
                fix=hit.fix or rule.fix,
                silenced=reason is not None,
                reason=reason or "",
            ))
    return sorted(findings, key=Finding.sort_key)


def check_all(
    site: Site,
    stacks: Mapping[str, Stack],
    resources: Mapping[str, Sequence[Resource]],
    rules: Iterable[Rule] = RULES,
) -> list[Finding]:
    """Findings for a Site, its Stacks and their governed Resources by Stack."""
    return check(PolicyContext(site, stacks, resources), rules)


def check_homelab(
    homelab: Homelab,
    resources: Mapping[str, Sequence[Resource]],
    rules: Iterable[Rule] = RULES,
    *,
    known: Mapping[str, Sequence[Finding]] | None = None,
) -> list[Finding]:
    """Findings for a loaded homelab and its governed Resources by Stack.

    ``known`` holds, for Stacks whose Resources are the ones checked before (and the Site the
    same), the findings of the Stack-scoped rules then: those Stacks are not checked by those
    rules again, the others are checked alone; the homelab-scoped rules read everything.
    """
    rules = tuple(rules)
    if not known:
        return check_all(homelab.site, homelab.stacks, resources, rules)
    local = tuple(rule for rule in rules if rule.scope is Scope.STACK)
    wide = tuple(rule for rule in rules if rule.scope is not Scope.STACK)
    findings = check_all(homelab.site, homelab.stacks, resources, wide)
    local_ids = {rule.id for rule in local}
    for name in sorted(resources):
        if name in known:
            findings.extend(f for f in known[name] if f.rule in local_ids)
        else:
            findings.extend(check_all(homelab.site, {name: homelab.stacks[name]},
                                      {name: resources[name]}, local))
    return sorted(findings, key=Finding.sort_key)


def stack_scoped(findings: Iterable[Finding], stack: str) -> list[Finding]:
    """The findings of Stack-scoped rules about ``stack`` (what ``known`` takes)."""
    local = {rule.id for rule in RULES if rule.scope is Scope.STACK}
    return [f for f in findings if f.stack == stack and f.rule in local]


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block plan and apply: errors that are not silenced."""
    return [finding for finding in findings if finding.blocking]
