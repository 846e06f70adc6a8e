"""``bench/RESULTS.md``: the headline figures of one ``run_all.py`` as a Markdown table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench._common import machine

Row = tuple[str, str, str, str]


def _verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("yes" if ok else "**no**")


def _noop(r: dict[str, Any]) -> list[Row]:
    fs, gp = r["plan_from_state"], r["plan_gitops"]
    return [
        ("No-op `plan --from-state`, whole process (median)",
         f"{fs['wall_median']:.3f} s wall, {fs['cpu_median']:.3f} s CPU, "
         f"{fs['rss_mib_max']:.0f} MiB; {r['from_state_ms_per_resource']} ms/Resource",
         f"≤ {r['target_s']} s", _verdict(r["meets_target"])),
        ("… of which importing the plan command's code (floor)",
         f"{r['import_floor']['wall_median']:.3f} s",
         "", ""),
        ("No-op `plan --from-state`, render cache off (every Stack rendered)",
         f"{r['plan_from_state_uncached']['wall_median']:.3f} s "
         f"({r['uncached_over_cached']}x the cached plan)", "", ""),
        ("No-op `plan --target gitops` (median)",
         f"{gp['wall_median']:.3f} s ({r['gitops_over_from_state']}x from state)", "", ""),
    ]


def _scaling(r: dict[str, Any]) -> list[Row]:
    sizes = ", ".join(f"{s['factor']}x: {s['resources']} Resources in "
                      f"{s['plan_from_state']['wall_median']:.2f} s" for s in r["sizes"])
    return [
        ("Scaling of the no-op plan from state", sizes, "", ""),
        ("… time growth 10x vs 1x (Resources growth)",
         f"x{r['time_growth']}, render cache off x{r.get('uncached_time_growth')} "
         f"(x{r['resource_growth']}); marginal "
         f"{r['marginal_ms_per_resource']} ms per added Resource",
         f"≤ x{r['target']['time_growth_max']:.0f}", _verdict(r["meets_target"])),
        ("… peak memory at 10x", f"{r['peak_rss_mib']:.0f} MiB",
         f"≤ {r['target']['peak_rss_mib_max']:.0f} MiB",
         _verdict(r["peak_rss_mib"] <= r["target"]["peak_rss_mib_max"])),
    ]


def _live(r: dict[str, Any]) -> list[Row]:
    first, noop, upd = r["first_apply"], r["noop_plan"], r["update_apply"]
    return [
        (f"Live no-op plan ({r['k8s_objects']} objects, {r['kinds']} kinds, "
         f"{r['latency_ms']:.0f} ms/request)",
         f"{noop['requests']} requests = {r['noop_plan_requests_per_kind']} per kind, "
         f"{noop['wall_s']} s", f"≤ {r['target_requests_per_kind']:.0f} per kind",
         _verdict(r["meets_target"])),
        ("Live first apply (all created)",
         f"{first['requests']} requests = {r['first_apply_requests_per_object']} per object "
         f"({r['first_apply_writes_per_object']} writes + readiness GETs + LISTs), "
         f"{first['wall_s']} s", "≈ 1 per object", ""),
        (f"Live apply after editing {r['update_objects']} Deployments",
         f"{upd['requests']} requests = {r['update_requests_per_changed_object']} per changed "
         f"object ({', '.join(f'{k} {v}' for k, v in upd['by_verb'].items())}), "
         f"{upd['wall_s']} s", "≈ 1 per object", ""),
    ]


def _incremental(r: dict[str, Any]) -> list[Row]:
    rows = []
    for role, e in r["edits"].items():
        sel, full = e["selected_from_state"], e["full_from_state"]
        rows.append((f"Edit one Stack ({role} `{e['stack']}`, {e['dependents']} dependents)",
                     f"`plan STACK --with-dependents --from-state`: {sel['stacks_planned']} "
                     f"Stacks planned, {sel['wall_s']} s; full: {full['stacks_planned']} "
                     f"planned, {full['stacks_with_changes']} with changes, {full['wall_s']} s",
                     "only it and its dependents", _verdict(r["meets_target"])))
    after = r.get("first_plan_after_edit")
    if after:
        rendered, wall = after["rendered"], after["wall_s"]
        rows.append((f"First plan after an edit of `{after['stack']}` (each run a new edit)",
                     f"`plan STACK --from-state` renders {rendered['plan_stack']} Stack, "
                     f"{wall['plan_stack']} s; `plan --from-state` renders "
                     f"{rendered['plan_all']}, {wall['plan_all']} s; render cache off: "
                     f"{rendered['plan_all_cache_off']} rendered, {wall['plan_all_cache_off']} s",
                     "only that Stack and what it needs",
                     _verdict(r.get("renders_only_the_edited_stack"))))
    return rows


def _policy(r: dict[str, Any]) -> list[Row]:
    ms = r["check_all_ms"]["median"]
    return [(f"Policy: {r['rules']} rules over {r['resources']} Resources",
             f"{ms:.1f} ms (govern {r['govern_ms']['median']:.1f} ms)",
             f"≤ {r['target_ms']:.0f} ms", _verdict(r["meets_target"]))]


def _helm(r: dict[str, Any]) -> list[Row]:
    return [(f"Helm: {r['releases']} releases, {r['objects_from_charts']} objects from charts",
             f"render {r['render_releases_cold_ms']['median']:.0f} ms with Helm's engine, "
             f"{r['releases_from_kept_renders_ms']['median']:.0f} ms from kept renders; first "
             f"pull {r['first_pull_and_render_s']:.2f} s", "", "")]


def _terraform(r: dict[str, Any]) -> list[Row]:
    if "skipped" in r:
        return [("Terraform side by side", f"skipped: {r['skipped']}", "", "")]
    return [(f"`terraform plan` no-op, {r['stacks']} modules, {r['objects']} terraform_data",
             f"{r['terraform_plan_sequential_s']:.2f} s one by one "
             f"(x{r['sequential_over_from_state']} `plan --from-state`, "
             f"x{r['sequential_over_gitops']} gitops plan); "
             f"{r['terraform_plan_parallel_s']:.2f} s {r['cores']} at a time "
             f"(x{r['parallel_over_from_state']}, x{r['parallel_over_gitops']})", "", "")]


def _cdk8s(r: dict[str, Any]) -> list[Row]:
    if "skipped" in r:
        return [("cdk8s side by side", f"skipped: {r['skipped']}", "", "")]
    return [(f"cdk8s synth, {r['objects']} objects, Chart per Stack",
             f"{r['cdk8s_synth']['wall_median']:.2f} s (x{r['cdk8s_over_render']} "
             f"`homestack render`, x{r['cdk8s_over_plan_from_state']} `plan --from-state`)",
             "", "")]


_ROWS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "noop_plan": _noop, "scaling": _scaling, "live": _live, "incremental": _incremental,
    "policy": _policy, "helm": _helm, "terraform": _terraform, "cdk8s": _cdk8s,
}


def results_markdown(results: dict[str, dict[str, Any]], command: str, total_s: float,
                     revision: str | None = None) -> str:
    """The Markdown snippet for the README."""
    box = machine()
    first = next((r for r in results.values() if "stacks" in r), {})
    lines = [
        "## Benchmarks",
        "",
        f"Homelab `{first.get('homelab', '?')}` ({first.get('stacks', '?')} Stacks); machine: "
        f"{box['cores']} cores, {box['ram_gib']} GiB RAM, Python {box['python']} "
        f"({box['platform']}), commit {revision or '?'}. Reproduce with `{command}` "
        f"({total_s:.0f} s); the figures are in `bench/results/*.json`.",
        "",
        "| measure | result | target | met |",
        "|---|---|---|---|",
    ]
    for name, result in results.items():
        if "error" in result:
            lines.append(f"| {name} | failed: {result['error'][:200]} | | |")
            continue
        try:
            rows = _ROWS[name](result)
        except (KeyError, TypeError, ZeroDivisionError) as error:
            rows = [(name, f"incomplete result ({error!r})", "", "")]
        lines.extend(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    return "\n".join(lines) + "\n"
