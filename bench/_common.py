"""Shared helpers of the benchmarks: paths, timed child processes, statistics, tables and JSON.

Every benchmark measures whole ``homestack`` processes the way a person runs them, so the figures
include interpreter start-up and imports. A child's CPU time comes from ``os.wait4``, which returns
the rusage of that one child (and the children it waited for, such as ``git``): the same numbers
as ``getrusage(RUSAGE_CHILDREN)`` deltas, without mixing runs together. Peak RSS comes from
``/usr/bin/time -f %M`` when present (else the child's ``ru_maxrss``, which can include the
memory a forked child inherited from the benchmark process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

# re-exported: the benchmarks' copies start clean, as the tests' do
from homestack_testing.homelabs import copy_homelab as copy_homelab

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
EXAMPLES = ROOT / "examples"
REFERENCE = EXAMPLES / "reference-homelab"

# Wide enough for the tables when the output is a file or a pipe.
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
console = Console(highlight=False, width=None if sys.stdout.isatty() else 132)


# -- homelabs -----------------------------------------------------------------------------------
def stack_count(homelab: Path) -> int:
    """The number of ``stacks/<name>/stack.py`` files of a homelab folder."""
    return len(list((homelab / "stacks").glob("*/stack.py")))


def default_homelab() -> Path:
    """The reference homelab when present, else the example with the most Stacks."""
    if (REFERENCE / "site.py").is_file():
        return REFERENCE
    candidates = [p for p in EXAMPLES.iterdir() if (p / "site.py").is_file()]
    if not candidates:
        raise SystemExit(f"no homelab under {EXAMPLES}; pass -C DIR")
    return max(candidates, key=lambda p: (stack_count(p), p.name))


_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")


@dataclass(frozen=True)
class Lab:
    """A benchmark's private copy of a homelab and the environment its commands run in."""

    root: Path
    env: dict[str, str]
    identity: Path

    def cmd(self, *args: str) -> list[str]:
        """``homestack -C root args``."""
        return homestack(self.root, *args)


def prepare_lab(source: Path, work: Path, name: str = "lab") -> Lab:
    """Copy ``source`` into ``work/name``, with bootstrap state encrypted to a throwaway key.

    The Site's age recipients are replaced by the public key of an identity made here, so the
    encrypted bootstrap tier can be read back (the homelab's own private key is not ours).
    """
    return adopt(copy_homelab(source, work / name), work)


def adopt(root: Path, work: Path) -> Lab:
    """Make the homelab folder ``root`` (a copy the benchmark owns) a Lab; see ``prepare_lab``."""
    _forget_state(root)
    key_file = work / "age.key"
    if not key_file.exists():
        import pyrage

        identity = pyrage.x25519.Identity.generate()
        key_file.write_text(f"# public key: {identity.to_public()}\n{identity}\n")
    public = key_file.read_text().split("public key: ", 1)[1].split()[0]
    site = root / "site.py"
    site.write_text(_RECIPIENT.sub(public, site.read_text(encoding="utf-8")), encoding="utf-8")
    # a render cache of the copy's own: its first run renders, as a fresh checkout would
    return Lab(root=root, env=quiet_env({"HOMESTACK_AGE_IDENTITY": str(key_file),
                                         "HOMESTACK_CACHE_DIR": str(work / "cache")}),
               identity=key_file)


def _forget_state(root: Path) -> None:
    """Remove state files that came with the copy: every run starts from nothing recorded."""
    from homestack.catalog import load_site

    settings = load_site(root).state
    for relative in (settings.bootstrap_dir, settings.path):
        path = root / relative
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def python() -> str:
    """The interpreter of the project's virtualenv (the one running the benchmark)."""
    return sys.executable


def homestack(homelab: Path, *args: str) -> list[str]:
    """The command line of ``homestack -C homelab args``: the virtualenv's console script."""
    script = Path(sys.executable).parent / "homestack"
    head = [str(script)] if script.is_file() else [python(), "-c",
                                                   "from homestack.cli import main; main()"]
    return [*head, "-C", str(homelab), *args]


# -- child processes ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """One finished child process: exit code, wall and CPU seconds, peak RSS, output."""

    code: int
    wall: float
    cpu: float
    rss_mib: float
    stdout: str
    stderr: str


def quiet_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of measured children: no colour, no pager, fixed terminal width."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    # any value, even "0", stops Python writing .pyc files: the warm-up run must write them
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra or {})
    return env


def run(cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None,
        check: bool = True, ok: Iterable[int] = (0,), timeout: float = 900.0) -> Run:
    """Run ``cmd`` to the end and measure it; ``check`` raises on an exit code not in ``ok``."""
    with open(os.devnull, "rb") as stdin, _scratch() as (out, err, rss):
        # A forked child starts with the parent's memory, so its own ru_maxrss can show the
        # benchmark's size; /usr/bin/time measures the command from a small process instead.
        prefix = [TIME, "-q", "-f", "%M", "-o", rss.name] if TIME else []
        start = time.perf_counter()
        child = subprocess.Popen([*prefix, *cmd], cwd=cwd, env=dict(env or quiet_env()),
                                 stdin=stdin, stdout=out, stderr=err)
        code, usage = _wait(child, start + timeout)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        measured = Path(rss.name).read_text().strip().splitlines() if TIME else []
    rss_mib = _rss_mib(usage.ru_maxrss)
    if measured and measured[-1].isdigit():
        rss_mib = int(measured[-1]) / 1024
    if check and code not in tuple(ok):
        raise RuntimeError(f"{' '.join(cmd[:6])} exited {code}: {stderr.strip()[-2000:]}")
    return Run(code=code, wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mib=rss_mib,
               stdout=stdout, stderr=stderr)


def _wait(child: subprocess.Popen[bytes], deadline: float) -> tuple[int, resource.struct_rusage]:
    """Reap ``child`` with wait4 (its own rusage); kill it once past ``deadline``."""
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage
        if time.perf_counter() > deadline:
            child.kill()
            pid, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage
        time.sleep(0.002)


class _scratch:
    """Temporary files for a child's stdout, stderr (pipes could fill up) and peak RSS."""

    def __enter__(self) -> tuple[Any, Any, Any]:
        import tempfile

        self.files = (tempfile.TemporaryFile(), tempfile.TemporaryFile(),
                      tempfile.NamedTemporaryFile(prefix="hs-bench-rss-"))
        return self.files

    def __exit__(self, *exc: object) -> None:
        for handle in self.files:
            handle.close()


def _rss_mib(maxrss: int) -> float:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


@dataclass(frozen=True)
class Sample:
    """Several runs of one command: medians and spread."""

    runs: int
    wall_median: float
    wall_min: float
    wall_max: float
    cpu_median: float
    rss_mib_max: float

    def to_json(self) -> dict[str, Any]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def sample(cmd: Sequence[str], repeat: int, *, warmup: int = 1, **kwargs: Any) -> Sample:
    """Run ``cmd`` ``warmup`` times unmeasured (page cache, .pyc), then ``repeat`` times."""
    for _ in range(warmup):
        run(cmd, **kwargs)
    runs = [run(cmd, **kwargs) for _ in range(max(1, repeat))]
    return summarize(runs)


def interleaved(commands: Mapping[str, tuple[Sequence[str], Mapping[str, Any]]], repeat: int,
                *, warmup: int = 1) -> dict[str, Sample]:
    """Several commands measured round-robin (each ``(cmd, run keywords)``), so that a
    machine whose speed drifts during the benchmark slows all of them alike and their ratios
    hold."""
    for _ in range(warmup):
        for cmd, kwargs in commands.values():
            run(cmd, **kwargs)
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(max(1, repeat)):
        for name, (cmd, kwargs) in commands.items():
            runs[name].append(run(cmd, **kwargs))
    return {name: summarize(found) for name, found in runs.items()}


def summarize(runs: Sequence[Run]) -> Sample:
    """Medians of wall and CPU time and the largest peak RSS of ``runs``."""
    walls = [r.wall for r in runs]
    return Sample(runs=len(runs), wall_median=statistics.median(walls), wall_min=min(walls),
                  wall_max=max(walls), cpu_median=statistics.median(r.cpu for r in runs),
                  rss_mib_max=max(r.rss_mib for r in runs))


def timed(fn: Callable[[], Any], repeat: int, *, warmup: int = 1) -> tuple[float, list[float]]:
    """Median seconds of calling ``fn`` in-process, and every measured time."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator rounded to 3 places, None when the denominator is 0."""
    return round(numerator / denominator, 3) if denominator else None


# -- reporting ----------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """The machine the figures come from, read now."""
    pages = os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
    size = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 0
    return {
        "cores": os.cpu_count(),
        "ram_gib": round(pages * size / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "processor": platform.machine(),
    }


def commit() -> str | None:
    """The last commit of the product code (``homestack/``, ``homestack_testing/``), ``-dirty``
    when it has uncommitted changes: commits of the benchmarks alone do not change the figures."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                              check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("log", "-1", "--format=%h", "--abbrev=12", "--", "homestack", "homestack_testing")
    if not head:
        return None
    dirty = git("status", "--porcelain", "--", "homestack", "homestack_testing")
    return head + ("-dirty" if dirty else "")


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A rich table; floats print with 3 significant decimals, None as '-'."""
    out = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        out.add_column(column, justify="left" if index == 0 else "right")
    for row in rows:
        out.add_row(*(_cell(value) for value in row))
    return out


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def write_json(name: str, data: Mapping[str, Any], results: Path | None = None) -> Path:
    """Write ``results/<name>.json`` with the machine and the time of the run added."""
    folder = results or RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    payload = {"benchmark": name, "machine": machine(), "commit": commit(),
               "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **data}
    path.write_text(json.dumps(payload, indent=2, sort_keys=False, default=str) + "\n")
    return path


def shown(path: Path) -> str:
    """``path`` relative to the repository when inside it (results never name this machine)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return path.name


def parser(description: str) -> argparse.ArgumentParser:
    """The common options of every benchmark: -C DIR, --quick, --results DIR."""
    out = argparse.ArgumentParser(description=description)
    out.add_argument("-C", dest="homelab", type=Path, default=None,
                     help="homelab folder (default: the reference homelab, else the largest "
                          "example)")
    out.add_argument("--quick", action="store_true", help="fewer repetitions")
    out.add_argument("--results", type=Path, default=None,
                     help="where the JSON goes (default: bench/results)")
    return out


def ensure_charts() -> None:
    """Point the chart cache at ``bench/.work/charts`` seeded with the stand-in charts, unless
    ``HOMESTACK_CHART_CACHE`` is set: the homelab's releases then render offline, in this
    process and in every measured child."""
    if os.environ.get("HOMESTACK_CHART_CACHE"):
        return
    from homestack_testing.charts import STANDINS, fill_cache, package_all

    cache = BENCH / ".work" / "charts"
    fill_cache(package_all([STANDINS]), cache)
    os.environ["HOMESTACK_CHART_CACHE"] = str(cache)


def standalone(
    doc: str,
    name: str,
    run_benchmark: Callable[..., dict[str, Any]],
    show: Callable[[dict[str, Any]], None],
    argv: list[str] | None = None,
) -> int:
    """Run one benchmark from its own command line: parse, run, print, write ``<name>.json``."""
    args = parser(doc.split("\n\n")[0]).parse_args(argv)
    ensure_charts()
    result = run_benchmark(args.homelab or default_homelab(), quick=args.quick)
    show(result)
    write_json(name, result, args.results)
    return 0
