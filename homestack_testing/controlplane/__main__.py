"""Start the test cluster by hand: ``python -m homestack_testing.controlplane --kubeconfig F``.

Builds the control plane on first use, writes an administrator's kubeconfig to F, prints the
server's URL and version, and runs until interrupted.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import threading
from pathlib import Path

from homestack_testing.controlplane import (
    DEFAULT_NODES,
    BuildError,
    ControlPlane,
    NodeSpec,
    ensure_built,
)


def _node(text: str) -> NodeSpec:
    """``name[:cpu:memory]``, e.g. ``worker-1:8:32Gi``."""
    name, *rest = text.split(":")
    cpu, memory = (rest + ["4", "16Gi"][len(rest):])[:2]
    return NodeSpec(name, cpu=cpu, memory=memory)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m homestack_testing.controlplane")
    parser.add_argument("--kubeconfig", type=Path, help="write the admin kubeconfig here")
    parser.add_argument("--node", action="append", type=_node, default=[],
                        help="a Node as name[:cpu:memory] (repeatable; default two workers)")
    parser.add_argument("--site", type=Path,
                        help="a homelab folder: its Site's VMs become the Nodes")
    parser.add_argument("--build-only", action="store_true",
                        help="build (or find) the binary, print its path and exit")
    args = parser.parse_args(argv)
    if args.build_only:
        try:
            print(ensure_built())
        except BuildError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        return 0
    nodes = tuple(args.node) or DEFAULT_NODES
    if args.site:
        from homestack.catalog import load
        from homestack_testing.controlplane.sitenodes import site_nodes

        nodes = site_nodes(load(args.site).site)
    with ControlPlane(nodes=nodes) as cluster:
        if args.kubeconfig:
            shutil.copyfile(cluster.kubeconfig, args.kubeconfig)
            args.kubeconfig.chmod(0o600)
        version = cluster.version()["gitVersion"]
        print(f"{cluster.url} Kubernetes {version}, ready in {cluster.started_in:.1f} s; "
              f"kubeconfig {args.kubeconfig or cluster.kubeconfig}", flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
