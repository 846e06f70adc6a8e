"""Silencing: per Resource, with a reason, through ``ignore`` or the annotation."""

from __future__ import annotations

from typing import Any

from homestack.policy import IGNORE_ANNOTATION, Finding, check_all, rule

from .support import SITE, container, deployment, resources_of, stacks

LATEST = [container(image="nginx:latest")]
ADDRESS = "k8s:apps/v1:Deployment:app/app"


def _findings(*objects: Any) -> list[Finding]:
    return check_all(SITE, stacks(), resources_of(objects),
                     rules=[rule("HS-IMAGE-001"), rule("HS-POLICY-001"), rule("HS-POLICY-002")])


def test_ignore_with_a_reason_silences_the_rule_and_keeps_the_finding() -> None:
    findings = _findings(("app", deployment(containers=LATEST),
                          {"ignore": ("HS-IMAGE-001: vendor publishes only latest",)}))
    assert [(f.rule, f.silenced, f.reason, f.blocking) for f in findings] == [
        ("HS-IMAGE-001", True, "vendor publishes only latest", False)]
    assert findings[0].to_json()["silenced"] is True


def test_ignore_without_a_reason_is_an_error_and_silences_nothing() -> None:
    findings = _findings(("app", deployment(containers=LATEST), {"ignore": ("HS-IMAGE-001",)}))
    by_rule = {f.rule: f for f in findings}
    assert by_rule["HS-IMAGE-001"].blocking
    assert by_rule["HS-POLICY-001"].blocking
    assert by_rule["HS-POLICY-001"].address == ADDRESS


def test_ignore_with_an_empty_reason_is_an_error() -> None:
    findings = _findings(("app", deployment(containers=LATEST), {"ignore": ("HS-IMAGE-001:  ",)}))
    assert {f.rule for f in findings if f.blocking} == {"HS-IMAGE-001", "HS-POLICY-001"}


def test_silencing_applies_to_that_resource_only() -> None:
    findings = _findings(
        ("app", deployment(containers=LATEST), {"ignore": ("HS-IMAGE-001: pinned by CI",)}),
        ("other", deployment("app", "other", containers=LATEST)),
    )
    assert [(f.address, f.silenced) for f in findings] == [
        (ADDRESS, True), ("k8s:apps/v1:Deployment:other/app", False)]


def test_annotation_silences_raw_manifests_and_reasons_may_hold_commas() -> None:
    notes = {IGNORE_ANNOTATION: "HS-IMAGE-001: upstream, sadly, has no tags; HS-WORKLOAD-003: x"}
    findings = _findings(("app", deployment(containers=LATEST,
                                            metadata={"annotations": notes})))
    assert [(f.rule, f.silenced, f.reason) for f in findings] == [
        ("HS-IMAGE-001", True, "upstream, sadly, has no tags")]


def test_annotation_entry_without_reason_is_an_error() -> None:
    notes = {IGNORE_ANNOTATION: "HS-IMAGE-001"}
    findings = _findings(("app", deployment(containers=LATEST,
                                            metadata={"annotations": notes})))
    assert "annotation homestack.dev/ignore entry 'HS-IMAGE-001'" in next(
        f.message for f in findings if f.rule == "HS-POLICY-001")


def test_policy_rules_cannot_be_silenced() -> None:
    findings = _findings(("app", deployment(), {"ignore": ("HS-POLICY-001: nope",)}))
    assert [(f.rule, f.silenced, f.message) for f in findings] == [(
        "HS-POLICY-002", False, "ignore entry names HS-POLICY-001, which cannot be silenced")]
