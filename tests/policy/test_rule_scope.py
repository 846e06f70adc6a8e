"""Stack-scoped rules find on a Stack alone what they find on it within the homelab.

The render cache keeps a Stack's findings of these rules while its Resources are unchanged
(``check_homelab(known=...)``); a rule wrongly scoped would keep a stale verdict.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from homestack.catalog import load
from homestack.engine import desired
from homestack.model import Resource, Site, Stack
from homestack.policy import RULES, Finding, Rule, Scope, Severity, check_all, check_homelab
from homestack.policy.check import stack_scoped
from homestack.policy.rules import auth as auth_rules

from .support import SITE, resources_of, stacks
from .test_rules import CASES, Case, Fixture

LOCAL = [rule for rule in RULES if rule.scope is Scope.STACK]
WIDE = [rule for rule in RULES if rule.scope is not Scope.STACK]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# What a Stack-scoped check may not read: other objects, namespace facts, other Stacks.
CROSS_STACK = frozenset({"find", "namespaces", "stacks", "by_address", "resources"})


def _alone(site: Site, declared: Mapping[str, Stack],
           resources: Mapping[str, Sequence[Resource]], rules: Sequence[Rule]) -> list[Finding]:
    found = [f for name in resources
             for f in check_all(site, {name: declared[name]}, {name: resources[name]}, rules)]
    return sorted(found, key=Finding.sort_key)


def _both_ways(fixture: Fixture, rules: Sequence[Rule]) -> tuple[list[Finding], list[Finding]]:
    site = SITE.model_copy(update=dict(fixture.site)) if fixture.site else SITE
    declared = stacks(fixture.tiers, fixture.namespaces)
    resources = resources_of(fixture.objects)
    declared = {name: declared.get(name) or Stack(name) for name in resources}
    return check_all(site, declared, resources, rules), _alone(site, declared, resources, rules)


def test_most_rules_are_stack_scoped_and_some_are_not() -> None:
    assert len(LOCAL) >= 30 and len(WIDE) >= 20


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.rule)
def test_stack_scoped_rules_find_the_same_on_each_stack_alone(case: Case) -> None:
    for fixture in (case.bad, case.good):
        whole, alone = _both_ways(fixture, LOCAL)
        assert whole == alone


def test_the_comparison_catches_a_rule_that_reads_other_stacks() -> None:
    [duplicates] = [case for case in CASES if case.rule == "HS-INGRESS-003"]
    whole, alone = _both_ways(duplicates.bad, [r for r in WIDE if r.id == "HS-INGRESS-003"])
    assert whole and not alone


def _reads(rule: Rule) -> set[str]:
    """The ``ctx.<name>`` attributes the rule's check reads, through the helpers of its
    module it calls (transitively)."""
    module = inspect.getmodule(rule.check)
    assert module is not None
    tree = ast.parse(inspect.getsource(module))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    seen: set[str] = set()
    reads: set[str] = set()
    todo = [rule.check.__name__]
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "ctx":
                reads.add(node.attr)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                todo.append(node.func.id)
    return reads


def test_stack_scoped_rules_read_nothing_of_other_stacks() -> None:
    wrong = {rule.id: sorted(_reads(rule) & CROSS_STACK) for rule in LOCAL
             if _reads(rule) & CROSS_STACK}
    assert wrong == {}


def test_the_reads_check_sees_a_lookup_of_another_object() -> None:
    assert "find" in _reads(next(r for r in RULES if r.id == "HS-STORAGE-006"))
    assert "namespaces" in _reads(next(r for r in RULES if r.id == "HS-WORKLOAD-001"))
    assert _reads(next(r for r in RULES if r.check is auth_rules._auth_reason)) == \
        {"of_kind"}  # through ingresses()


@pytest.mark.parametrize("example", ["small-homelab", "kit-showcase", "reference-homelab"])
def test_known_findings_give_the_same_result_as_checking_everything(example: str) -> None:
    wanted = desired(load(EXAMPLES / example))
    homelab, governed = wanted.homelab, wanted.resources
    full = check_homelab(homelab, governed)
    kept = {name: stack_scoped(full, name) for name in sorted(governed)[::2]}
    assert check_homelab(homelab, governed, known=kept) == full
    whole, alone = check_all(homelab.site, homelab.stacks, governed, LOCAL), \
        _alone(homelab.site, homelab.stacks, governed, LOCAL)
    assert whole == alone


def test_known_findings_are_used_not_checked_again(small_homelab: Path) -> None:
    wanted = desired(load(small_homelab))
    kept = Finding("HS-IMAGE-001", Severity.WARNING, "whoami", "k8s:x", "kept", "fix")
    wide = Finding("HS-INGRESS-003", Severity.ERROR, "whoami", "k8s:x", "not kept", "fix")
    found = check_homelab(wanted.homelab, wanted.resources, known={"whoami": [kept, wide]})
    assert kept in found and wide not in found
