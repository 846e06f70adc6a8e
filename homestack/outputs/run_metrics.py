"""What one CI run measured: the value the metrics writers turn into Prometheus series."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RunMetrics:
    """What one CI run measured."""

    command: str
    duration: float
    failures: int
    drifted: dict[str, int] = field(default_factory=dict)
    last_apply: float | None = None  # Unix time of the newest recorded apply
