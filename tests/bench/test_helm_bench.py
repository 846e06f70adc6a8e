"""The Helm benchmark runs on the reference homelab: it pulls and renders every release."""

from __future__ import annotations

from pathlib import Path

from bench import helm_bench

REFERENCE = Path(__file__).resolve().parents[2] / "examples" / "reference-homelab"


def test_helm_benchmark_pulls_and_renders_every_release() -> None:
    result = helm_bench.run_benchmark(REFERENCE, quick=True)
    assert result["releases"] == 13
    assert result["pulls"] == 13, "each chart is pulled once"
    assert result["objects_from_charts"] > result["releases"]
    assert result["render_releases_cold_ms"]["median"] > 0
    helm_bench.show(result)
