"""Scale a homelab N times: the original Stacks plus N-1 renamed copies of every Stack.

    python bench/scale.py SRC N OUT

Copy ``k`` (1 ≤ k < N) of Stack ``name`` lives in ``stacks/<name>-c<k>/``: the original folder
(data files included) with its ``stack.py`` kept as ``source_stack.py`` and a small wrapper
``stack.py`` that runs it through ``_scale/homestack_scale_rename.py`` (see that module for
the rename rules: names, namespaces and needs get the ``-c<k>`` suffix, hostnames too,
dedicated LoadBalancer IPs are dropped, CRDs and VMs stay with the original, objects in system
namespaces get a suffixed name instead). The Site is shared, so hosts, VM ids and the LB pool
do not grow; the copies of exempt namespaces are appended to ``site.exempt_namespaces`` at the
end of ``site.py``. The scaled homelab validates like the original; ``_scale/map.json`` holds
the names the copies rename, computed here from one render of the original.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

# Runnable as a script: the repository root holds the homestack package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homestack.catalog import load, render_all

BENCH = Path(__file__).resolve().parent
SCALE_DIR = "_scale"
# Names that exist in every cluster: renaming every string equal to them would move objects
# out of namespaces that the copies do not render.
_SYSTEM = frozenset({"default", "kube-system", "kube-public", "kube-node-lease", "flux-system",
                     "argocd"})

RENAME_MODULE = "homestack_scale_rename"
_WRAPPER = '''"""Copy {copy} of Stack {name!r}, made by bench/scale.py; see {scale}/{module}.py."""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_SCALE = _HERE.parent.parent / "{scale}"
if str(_SCALE) not in sys.path:
    sys.path.insert(0, str(_SCALE))
import {module} as _rename  # noqa: E402  (an importable module: the render cache keeps copies)

stack = _rename.copy_stack(_HERE / "source_stack.py", _SCALE / "map.json", {copy})
'''


def rename_map(source: Path) -> dict[str, Any]:
    """What the copies rename, from one load and render of the original homelab."""
    homelab = load(source)
    rendered = render_all(homelab)
    namespaces = {s.namespace for s in homelab.stacks.values()}
    cluster_names: set[str] = set()
    for resources in rendered.resources.values():
        for resource in resources:
            if resource.provider.value != "k8s" or resource.namespace is not None:
                continue
            if resource.k8s_kind == "Namespace":
                namespaces.add(resource.object_name)
            elif resource.k8s_kind != "CustomResourceDefinition":
                cluster_names.add(resource.object_name)
    site = homelab.site
    namespaces -= _SYSTEM
    names = (set(homelab.stacks) | namespaces | cluster_names) - _SYSTEM
    domains = [d for d in (getattr(site.domains, "public", None),
                           getattr(site.domains, "internal", None)) if d]
    pool = site.lb_pool
    dedicated = sorted(set(pool.dedicated.values()) - {pool.shared_ip}) if pool else []
    return {"names": sorted(names), "namespaces": sorted(namespaces), "domains": domains,
            "dedicated_ips": dedicated, "stacks": sorted(homelab.stacks),
            "exempt": sorted(set(site.exempt_namespaces) & namespaces)}


_SITE_TAIL = '''

# Added by bench/scale.py: the copies' renamed namespaces are exempt like their originals.
import homestack.model as _scale_model  # noqa: E402

for _scale_name, _scale_value in list(globals().items()):
    if isinstance(_scale_value, _scale_model.Site):
        globals()[_scale_name] = _scale_value.model_copy(update={{"exempt_namespaces": (
            *_scale_value.exempt_namespaces, *{exempt!r})}})
'''


def _extend_exempt(site_file: Path, spec: dict[str, Any], factor: int) -> None:
    """Append the copies' exempt namespaces to the scaled ``site.py`` (the Site is frozen)."""
    exempt = tuple(f"{name}-c{copy}" for copy in range(1, factor) for name in spec["exempt"])
    if exempt:
        with site_file.open("a", encoding="utf-8") as out:
            out.write(_SITE_TAIL.format(exempt=exempt))


def scale(source: Path, factor: int, out: Path) -> dict[str, Any]:
    """Write the homelab ``source`` scaled ``factor`` times to ``out`` (replaced if present)."""
    if factor < 1:
        raise ValueError(f"the factor must be at least 1, got {factor}")
    source = source.resolve()
    spec = rename_map(source)
    if out.exists():
        shutil.rmtree(out)
    ignored = shutil.ignore_patterns(".homestack", ".git", "__pycache__", "*.pyc")
    shutil.copytree(source, out, ignore=ignored)
    helper = out / SCALE_DIR
    helper.mkdir()
    shutil.copyfile(BENCH / "_rename.py", helper / f"{RENAME_MODULE}.py")
    (helper / "map.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    _extend_exempt(out / "site.py", spec, factor)
    for name in spec["stacks"]:
        original = source / "stacks" / name
        for copy in range(1, factor):
            folder = out / "stacks" / f"{name}-c{copy}"
            shutil.copytree(original, folder, ignore=ignored)
            (folder / "stack.py").rename(folder / "source_stack.py")
            (folder / "stack.py").write_text(
                _WRAPPER.format(copy=copy, name=name, scale=SCALE_DIR, module=RENAME_MODULE),
                encoding="utf-8")
    return {"source_stacks": len(spec["stacks"]), "stacks": len(spec["stacks"]) * factor,
            "factor": factor}


def main(argv: list[str] | None = None) -> int:
    """``python bench/scale.py SRC N OUT``."""
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("source", type=Path, help="the homelab to scale")
    args.add_argument("factor", type=int, help="how many times (1 = an exact copy)")
    args.add_argument("out", type=Path, help="where the scaled homelab goes (replaced)")
    parsed = args.parse_args(argv)
    done = scale(parsed.source, parsed.factor, parsed.out)
    print(f"{parsed.out}: {done['stacks']} Stacks ({done['source_stacks']} x {parsed.factor})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
