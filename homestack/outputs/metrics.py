"""Prometheus metrics of a CI run: a textfile for node_exporter, or a push to a Pushgateway.

Gauges: drifted objects per Stack, the time of the last successful apply, the run's duration
and its failed Stacks; every series carries the command (``drift``, ``apply``, ``plan``).
"""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge, push_to_gateway, write_to_textfile

from homestack.model import ModelError
from homestack.outputs.run_metrics import RunMetrics
from homestack.providers.errors import TransientError

JOB = "homestack"


def registry(run: RunMetrics) -> CollectorRegistry:
    """The run's metrics in a fresh registry (nothing global)."""
    reg = CollectorRegistry()
    drifted = Gauge("homestack_drifted_objects", "Objects drifted from what Homestack applied",
                    ["stack"], registry=reg)
    for stack, count in sorted(run.drifted.items()):
        drifted.labels(stack=stack).set(count)
    Gauge("homestack_run_duration_seconds", "Duration of the last run", ["command"],
          registry=reg).labels(command=run.command).set(run.duration)
    Gauge("homestack_run_failures", "Stacks that failed in the last run", ["command"],
          registry=reg).labels(command=run.command).set(run.failures)
    if run.last_apply is not None:
        Gauge("homestack_last_successful_apply_timestamp_seconds",
              "Unix time of the newest successful apply of any Stack",
              registry=reg).set(run.last_apply)
    return reg


def write_textfile(run: RunMetrics, path: Path) -> None:
    """Write the metrics for node_exporter's textfile collector (atomically)."""
    try:
        write_to_textfile(str(path), registry(run))
    except OSError as exc:
        raise ModelError(f"cannot write the metrics file ({exc.strerror or exc})",
                         subject=f"--metrics-file {path}") from exc


def push(run: RunMetrics, gateway: str) -> None:
    """Push the metrics to a Pushgateway under the job ``homestack``; the URL is never
    shown (it may hold credentials)."""
    try:
        push_to_gateway(gateway, job=JOB, registry=registry(run))
    except ValueError as exc:
        raise ModelError(f"not a usable Pushgateway URL ({type(exc).__name__})",
                         subject="--pushgateway", hint="Give http://host:port") from exc
    except OSError as exc:
        reason = getattr(exc, "reason", None) or exc.strerror or type(exc).__name__
        raise TransientError(f"cannot push the metrics to the Pushgateway ({reason})",
                             subject="--pushgateway") from exc
