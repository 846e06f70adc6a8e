"""Mutation testing: plant small bugs one at a time and check that the tests catch each one.

Usage (from the repository root)::

    python tests/mutation.py                      # 70 mutants, seed 22, JSON to bench/results
    python tests/mutation.py --count 140 --seed 7 --jobs 2
    python tests/mutation.py --list               # every mutation site, no test run

Each mutant changes one spot of one file: a comparison flipped (``==`` ↔ ``!=``, ``<`` ↔
``>=``, ``in`` ↔ ``not in``, ``is`` ↔ ``is not``), ``and`` ↔ ``or``, a ``not`` dropped,
``True`` ↔ ``False``, an integer constant plus one, or a ``return <value>`` turned into
``return None``. The sample is deterministic for a seed: the same number of mutants from each
package. Every mutant runs in a private copy of the repository (the working tree is never
touched) with the package's relevant tests, ``pytest -x`` under a timeout; a failing test or a
timeout kills it. Mutants listed in ``tests/mutation_equivalents.txt`` (one per line: the id,
then the reason they cannot change behaviour) are reported apart and left out of the rate.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EQUIVALENTS = REPO / "tests" / "mutation_equivalents.txt"
DEFAULT_JSON = REPO / "bench" / "results" / "mutation.json"

# Package → (source files, the tests that exercise them). Paths relative to the repository.
PACKAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "engine": (("homestack/engine/*.py",),
               ("tests/engine", "tests/providers/test_kube_errors_and_noops.py::"
                "test_a_field_taken_by_another_manager_is_drift_not_a_failure")),
    "providers/kubernetes": (("homestack/providers/kubernetes/*.py",),
                             ("tests/providers/test_kube_errors_and_noops.py",
                              "tests/providers/test_kube_drift_fields.py",
                              "tests/providers/test_kube_target.py",
                              "tests/providers/test_ownership.py",
                              "tests/providers/test_kube_readiness.py",
                              "tests/providers/test_secret_masking.py")),
    "providers/memory": (("homestack/providers/memory.py",), ("tests/engine",)),
    "providers/gitops": (("homestack/providers/gitops/*.py",), ("tests/outputs",)),
    "state": (("homestack/state/*.py",),
              ("tests/state/test_contract_records.py", "tests/state/test_contract_journal.py",
               "tests/state/test_contract_leases.py", "tests/state/test_contract_history.py",
               "tests/state/test_secrets.py", "tests/state/test_router.py",
               "tests/state/test_encrypted.py", "tests/state/test_record_values.py")),
    "kit secrets+ingress": (("homestack/kit/secrets.py", "homestack/kit/_ingress.py",
                             "homestack/kit/ingress.py"), ("tests/kit",)),
    "kubeapi managed": (("homestack_testing/kubeapi/managed.py",),
                        ("tests/homestack_testing/test_kubeapi_managed_fields.py",
                         "tests/homestack_testing/test_kubeapi_ssa.py",
                         "tests/homestack_testing/test_kubeapi_units.py")),
}

FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE,
    ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    """One planted bug: where, what, and the text that replaces the original span."""

    package: str
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    operator: str
    original: str
    replacement: str

    @property
    def ident(self) -> str:
        """A stable name: file, position and operator."""
        return f"{self.path}:{self.line}:{self.col}:{self.operator}"


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """Nodes never mutated: docstrings, annotations (not evaluated) and f-string parts."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        annotations: list[ast.AST | None] = []
        if isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        elif isinstance(node, ast.arg):
            annotations.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            annotations.append(node.returns)
        elif isinstance(node, ast.JoinedStr):
            annotations.append(node)
        for sub in annotations:
            if sub is not None:
                skipped |= {id(n) for n in ast.walk(sub)}
    return skipped


def _variants(node: ast.AST) -> Iterator[tuple[str, ast.AST | str]]:
    """(operator, replacement node or statement text) for each mutation of ``node``."""
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            flipped = FLIPS.get(type(op))
            if flipped is not None:
                ops = list(node.ops)
                ops[index] = flipped()
                yield f"compare:{type(op).__name__}->{flipped.__name__}", ast.Compare(
                    node.left, ops, node.comparators)
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield f"boolop:{type(node.op).__name__}", ast.BoolOp(other, node.values)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not:drop", node.operand
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield f"const:{node.value}", ast.Constant(not node.value)
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        yield f"const:{node.value}+1", ast.Constant(node.value + 1)
    elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        yield "return:None", "return None"


def mutants_of(path: str, package: str) -> list[Mutant]:
    """Every mutation site of one file, in source order."""
    source = (REPO / path).read_text()
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    lines = source.splitlines(keepends=True)
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped or not hasattr(node, "end_lineno"):
            continue
        if "no mutate" in lines[node.lineno - 1]:
            continue
        for operator, new in _variants(node):
            original = ast.get_source_segment(source, node) or ""
            text = new if isinstance(new, str) else f"({ast.unparse(new)})"
            assert node.end_lineno is not None and node.end_col_offset is not None
            found.append(Mutant(package, path, node.lineno, node.col_offset, node.end_lineno,
                                node.end_col_offset, operator, original, text))
    return sorted(found, key=lambda m: (m.line, m.col, m.operator))


def all_mutants() -> dict[str, list[Mutant]]:
    """Mutation sites per package."""
    out: dict[str, list[Mutant]] = {}
    for package, (patterns, _tests) in PACKAGES.items():
        files = sorted({str(p.relative_to(REPO)) for pattern in patterns
                        for p in REPO.glob(pattern)})
        out[package] = [m for f in files for m in mutants_of(f, package)]
    return out


def sample(count: int, seed: int) -> list[Mutant]:
    """``count`` mutants, spread evenly over the packages, the same for the same seed."""
    rng = random.Random(seed)
    sites = all_mutants()
    share, extra = divmod(count, len(sites))
    chosen: list[Mutant] = []
    for index, (_package, found) in enumerate(sorted(sites.items())):
        want = min(len(found), share + (1 if index < extra else 0))
        chosen += rng.sample(found, want)
    return chosen


def mutated_source(mutant: Mutant, source: str) -> str:
    """``source`` with the mutant's span replaced."""
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode()))
    data = source.encode()
    start = offsets[mutant.line - 1] + mutant.col
    end = offsets[mutant.end_line - 1] + mutant.end_col
    return (data[:start] + mutant.replacement.encode() + data[end:]).decode()


def _copy_repo(into: Path) -> Path:
    root = into / "repo"
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".mypy_cache",
                                    ".ruff_cache", ".pytest_cache", "node_modules", ".homestack")
    shutil.copytree(REPO, root, ignore=ignore)
    return root


def _pytest(root: Path, tests: tuple[str, ...], timeout: float) -> tuple[str, float]:
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
             "-p", "no:randomly", *tests],
            cwd=root, env=env, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - started
    return ("passed" if done.returncode == 0 else "failed"), time.monotonic() - started


def run_one(root: Path, mutant: Mutant, timeout: float) -> dict[str, object]:
    """Plant ``mutant`` in the copy at ``root``, run its package's tests, restore the file."""
    target = root / mutant.path
    original = target.read_text()
    try:
        target.write_text(mutated_source(mutant, original))
        try:
            compile(target.read_text(), str(target), "exec")
        except SyntaxError:
            return {**asdict(mutant), "id": mutant.ident, "status": "invalid", "seconds": 0.0}
        outcome, seconds = _pytest(root, PACKAGES[mutant.package][1], timeout)
    finally:
        target.write_text(original)
    status = "survived" if outcome == "passed" else "killed"
    return {**asdict(mutant), "id": mutant.ident, "status": status, "how": outcome,
            "seconds": round(seconds, 1)}


def equivalents() -> dict[str, str]:
    """Mutant id → why it cannot change behaviour, from ``mutation_equivalents.txt``."""
    out = {}
    if EQUIVALENTS.exists():
        for line in EQUIVALENTS.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                ident, _, reason = line.partition(" ")
                out[ident] = reason.strip()
    return out


def summary(results: list[dict[str, object]], known: dict[str, str]) -> dict[str, object]:
    """Kill rates per package and overall, equivalents left out."""
    packages: dict[str, dict[str, int]] = {}
    for result in results:
        counts = packages.setdefault(str(result["package"]), {
            "mutants": 0, "killed": 0, "survived": 0, "equivalent": 0, "invalid": 0})
        counts["mutants"] += 1
        if result["status"] == "invalid":
            counts["invalid"] += 1
        elif result["id"] in known:
            counts["equivalent"] += 1
        else:
            counts[str(result["status"])] += 1
    for counts in packages.values():
        judged = counts["killed"] + counts["survived"]
        counts["kill_rate"] = round(100 * counts["killed"] / judged, 1) if judged else 100.0
    killed = sum(c["killed"] for c in packages.values())
    judged = killed + sum(c["survived"] for c in packages.values())
    return {"packages": packages, "killed": killed, "judged": judged,
            "kill_rate": round(100 * killed / judged, 1) if judged else 100.0}


def main(argv: list[str] | None = None) -> int:
    """Run the sample and print the kill rate per package; exit 1 below ``--min-rate``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=70, help="mutants in the sample")
    parser.add_argument("--seed", type=int, default=22, help="sample seed")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds per mutant")
    parser.add_argument("--package", action="append", help="only these packages")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="results file")
    parser.add_argument("--min-rate", type=float, default=90.0, help="lowest passing rate")
    parser.add_argument("--list", action="store_true", help="list the sample, run nothing")
    args = parser.parse_args(argv)
    chosen = sample(args.count, args.seed)
    if args.package:
        chosen = [m for m in chosen if m.package in args.package]
    if args.list:
        for m in chosen:
            print(f"{m.ident}  {m.original!r} -> {m.replacement!r}")
        return 0
    known = equivalents()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        roots = [_copy_repo(Path(tmp) / str(i)) for i in range(max(1, args.jobs))]
        queue = list(enumerate(chosen))

        def work(slot: int) -> list[dict[str, object]]:
            out = []
            for index, mutant in queue[slot::len(roots)]:
                result = run_one(roots[slot], mutant, args.timeout)
                mark = "EQUIVALENT" if mutant.ident in known else str(result["status"]).upper()
                print(f"[{index + 1}/{len(chosen)}] {mark:10} {mutant.ident}  "
                      f"{mutant.original!r} -> {mutant.replacement!r}", flush=True)
                out.append(result)
            return out

        with ThreadPoolExecutor(len(roots)) as pool:
            results = [r for part in pool.map(work, range(len(roots))) for r in part]
    results.sort(key=lambda r: str(r["id"]))
    figures = summary(results, known)
    print(f"\n{'package':24} mutants killed survived equivalent  kill rate")
    for package, c in sorted(figures["packages"].items()):  # type: ignore[attr-defined]
        print(f"{package:24} {c['mutants']:7} {c['killed']:6} {c['survived']:8} "
              f"{c['equivalent']:10}  {c['kill_rate']:8}%")
    print(f"{'all':24} {len(results):7} {figures['killed']:6} "
          f"{figures['judged'] - figures['killed']:8} "  # type: ignore[operator]
          f"{sum(1 for r in results if r['id'] in known):10}  {figures['kill_rate']:8}%")
    for r in results:
        if r["status"] == "survived" and r["id"] not in known:
            print(f"SURVIVED {r['id']}  {r['original']!r} -> {r['replacement']!r}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "command": "python tests/mutation.py " + " ".join(argv or sys.argv[1:]),
        "seed": args.seed, "count": args.count, "seconds": round(time.monotonic() - started),
        **figures, "equivalents": {r["id"]: known[str(r["id"])] for r in results
                                   if r["id"] in known},
        "mutants": results}, indent=2) + "\n")
    return 0 if figures["kill_rate"] >= args.min_rate else 1  # type: ignore[operator]


if __name__ == "__main__":
    sys.exit(main())
