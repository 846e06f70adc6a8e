"""The policy layer: tier governance (generators and mutators), convention rules, Kyverno export.

Pure: it reads the Site, the Stacks and rendered manifests, and returns Resources and findings.
"""

from homestack.policy.check import blocking, check, check_all, check_homelab
from homestack.policy.context import PolicyContext
from homestack.policy.govern import govern, priority_owner
from homestack.policy.kyverno import cluster_policies
from homestack.policy.quota import Usage, overflows, workload_usage
from homestack.policy.rule import Finding, Hit, Rule, Scope, Severity
from homestack.policy.rules import RULES, rule
from homestack.policy.silence import IGNORE_ANNOTATION

__all__ = [
    "IGNORE_ANNOTATION",
    "RULES",
    "Finding",
    "Hit",
    "PolicyContext",
    "Rule",
    "Scope",
    "Severity",
    "Usage",
    "blocking",
    "check",
    "check_all",
    "check_homelab",
    "cluster_policies",
    "govern",
    "overflows",
    "priority_owner",
    "rule",
    "workload_usage",
]
