"""Namespace tiers and their governance numbers (the data behind PriorityClass, LimitRange, quota).

The numbers are the homelab's own (see the reference facts); a Site may override any tier.
"""

from __future__ import annotations

import enum

from pydantic import BaseModel, Field

from homestack.model.fieldtypes import Cpu, Memory
from homestack.model.modelconfig import FROZEN


class NamespaceTier(enum.Enum):
    """Scheduling priority, default resources and quota class of a namespace."""

    CORE = "0-core"
    CLUSTER = "1-cluster"
    GPU = "2-gpu"
    EDGE = "3-edge"
    AUX = "4-aux"

    @property
    def label(self) -> str:
        """The value of the ``tier`` label on namespaces and workloads."""
        return self.value


TIER_LABEL = "tier"
GPU_PRIORITY_CLASS = "gpu-workload"
GPU_PRIORITY_VALUE = 1_200_000
GOVERNANCE_EXCLUDED_NAMESPACES = (
    "kube-system",
    "metallb-system",
    "kyverno",
    "calico-system",
    "calico-apiserver",
)
OPT_OUT_LIMITRANGE_LABEL = "homestack.dev/no-limitrange"
OPT_OUT_QUOTA_LABEL = "homestack.dev/no-quota"


class LimitDefaults(BaseModel):
    """LimitRange numbers: default memory limit, default requests, max memory."""

    model_config = FROZEN

    default_memory_limit: str
    default_cpu_request: str
    default_memory_request: str
    max_memory: str


class Quota(BaseModel):
    """ResourceQuota numbers of a namespace."""

    model_config = FROZEN

    requests_cpu: Cpu
    requests_memory: Memory
    limits_memory: Memory
    pods: int = Field(ge=0)


class TierSpec(BaseModel):
    """Everything generated for one namespace tier."""

    model_config = FROZEN

    tier: NamespaceTier
    priority_value: int
    preemption: str
    limits: LimitDefaults
    quota: Quota
    guaranteed_qos: bool

    @property
    def priority_class(self) -> str:
        """Name of the PriorityClass generated for this tier."""
        return f"tier-{self.tier.value}"


def _spec(
    tier: NamespaceTier,
    priority: int,
    preemption: str,
    limits: tuple[str, str, str, str],
    quota: tuple[str, str, str, int],
    guaranteed: bool,
) -> TierSpec:
    return TierSpec(
        tier=tier,
        priority_value=priority,
        preemption=preemption,
        limits=LimitDefaults(
            default_memory_limit=limits[0],
            default_cpu_request=limits[1],
            default_memory_request=limits[2],
            max_memory=limits[3],
        ),
        quota=Quota(
            requests_cpu=quota[0], requests_memory=quota[1], limits_memory=quota[2], pods=quota[3]
        ),
        guaranteed_qos=guaranteed,
    )


PREEMPT = "PreemptLowerPriority"
DEFAULT_TIERS: tuple[TierSpec, ...] = (
    _spec(NamespaceTier.CORE, 1_000_000, PREEMPT,
          ("256Mi", "100m", "256Mi", "8Gi"), ("8", "8Gi", "64Gi", 100), True),
    _spec(NamespaceTier.CLUSTER, 800_000, PREEMPT,
          ("256Mi", "100m", "256Mi", "8Gi"), ("4", "4Gi", "32Gi", 30), True),
    _spec(NamespaceTier.GPU, 600_000, PREEMPT,
          ("1Gi", "200m", "1Gi", "16Gi"), ("8", "12Gi", "32Gi", 40), True),
    _spec(NamespaceTier.EDGE, 400_000, PREEMPT,
          ("256Mi", "50m", "128Mi", "8Gi"), ("4", "4Gi", "32Gi", 30), False),
    _spec(NamespaceTier.AUX, 200_000, "Never",
          ("256Mi", "50m", "64Mi", "4Gi"), ("2", "3Gi", "16Gi", 20), False),
)
NO_TIER_LIMITS = LimitDefaults(
    default_memory_limit="192Mi",
    default_cpu_request="50m",
    default_memory_request="128Mi",
    max_memory="4Gi",
)
