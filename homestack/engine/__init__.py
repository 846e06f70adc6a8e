"""The engine layer: observe → plan (a value) → apply exactly that plan; provider-agnostic."""

from homestack.engine.apply import apply, plan_and_apply
from homestack.engine.desired import Desired, desired, order
from homestack.engine.destroy import destroy, plan_destroy
from homestack.engine.drift import drift, drift_count
from homestack.engine.errors import EngineError, StalePlanError
from homestack.engine.options import EngineOptions
from homestack.engine.plan import plan, select, stack_hash
from homestack.engine.plan_seal import check_seal, seal
from homestack.engine.planfile import admit, plan_from_json, plan_to_json, planned_targets
from homestack.engine.target import Target, Targets
from homestack.model.changeset import (
    Action,
    ApplyResult,
    Change,
    ChangeSet,
    DriftKind,
    Failure,
    FailureKind,
    Observed,
    Permissions,
    PlanMode,
    Recorder,
    SkipReason,
    StackChanges,
    StackOutcome,
)

__all__ = [
    "Action",
    "ApplyResult",
    "Change",
    "ChangeSet",
    "Desired",
    "DriftKind",
    "EngineError",
    "EngineOptions",
    "Failure",
    "FailureKind",
    "Observed",
    "Permissions",
    "PlanMode",
    "Recorder",
    "SkipReason",
    "StackChanges",
    "StackOutcome",
    "StalePlanError",
    "Target",
    "Targets",
    "admit",
    "apply",
    "check_seal",
    "desired",
    "destroy",
    "drift",
    "drift_count",
    "order",
    "plan",
    "plan_and_apply",
    "plan_destroy",
    "plan_from_json",
    "plan_to_json",
    "planned_targets",
    "seal",
    "select",
    "stack_hash",
]
