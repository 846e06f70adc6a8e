"""How the kube target talks to the API: retries, readiness waits, conflicts, adoption."""

from __future__ import annotations

from dataclasses import dataclass, field

from homestack.providers.kubernetes.retry import RetryPolicy


@dataclass(frozen=True)
class KubeOptions:
    """How the kube target talks to the API.

    ``timeout`` overrides every per-kind readiness timeout (seconds) when set; ``poll`` is the
    readiness polling interval; ``wait`` turns readiness waits off. ``force_conflicts`` takes
    back, for this run, the declared fields another field manager changed (SSA force); the
    plan names which manager loses which field. ``adopt`` lets apply take over objects that
    exist but are not Homestack's (planned as ``adopt``); without it apply refuses them.
    ``remove_helm_history`` plans the deletion of the release Secrets of Helm releases whose
    objects the homelab declares (else the plan lists them as kept).
    """

    retry: RetryPolicy = field(default_factory=RetryPolicy.default)
    poll: float = 0.25
    timeout: float | None = None
    wait: bool = True
    force_conflicts: bool = False
    adopt: bool = False
    remove_helm_history: bool = False

    @classmethod
    def default(cls) -> KubeOptions:
        """Defaults for a real cluster."""
        return cls()
