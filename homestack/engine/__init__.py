"""The engine layer: plan, apply, prune and drift, orchestration only (provider-agnostic)."""

from homestack.engine.apply import apply
from homestack.engine.desired import Desired, desired, order
from homestack.engine.destroy import destroy
from homestack.engine.drift import drift, drift_count
from homestack.engine.errors import ApplyError, EngineError, GuardError, ReadinessError
from homestack.engine.options import EngineOptions
from homestack.engine.plan import plan, select, stack_hash
from homestack.engine.target import Target
from homestack.model.changeset import (
    Action,
    Change,
    ChangeSet,
    Recorder,
    StackChanges,
    StackOutcome,
)

__all__ = [
    "Action",
    "ApplyError",
    "Change",
    "ChangeSet",
    "Desired",
    "EngineError",
    "EngineOptions",
    "GuardError",
    "ReadinessError",
    "Recorder",
    "StackChanges",
    "StackOutcome",
    "Target",
    "apply",
    "desired",
    "destroy",
    "drift",
    "drift_count",
    "order",
    "plan",
    "select",
    "stack_hash",
]
