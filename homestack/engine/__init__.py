"""The engine layer: plan, apply, prune and drift, orchestration only (provider-agnostic)."""

from homestack.engine.desired import Desired, desired, order

__all__ = ["Desired", "desired", "order"]
