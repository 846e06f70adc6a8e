"""``python -m homestack_testing.kubeapi``: run the fake API server in the foreground."""

from __future__ import annotations

import argparse
import sys

from .server import KubeApiServer


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m homestack_testing.kubeapi",
                                description="Loopback fake Kubernetes API server.")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    p.add_argument("--kubeconfig", required=True, help="where to write a kubeconfig")
    p.add_argument("--latency-ms", type=float, default=0, help="delay added to each request")
    p.add_argument("--faults", default="", help='fault rules, e.g. "seed=1;patch:500:10%%"')
    p.add_argument("--fault-seed", type=int, default=None, help="random seed for faults")
    p.add_argument("--ready-after-ms", type=float, default=0,
                   help="time until workloads report ready")
    p.add_argument("--crd-delay-ms", type=float, default=50,
                   help="time until a new CRD is served")
    p.add_argument("--lb-range", default="10.10.0.100-10.10.0.199",
                   help="addresses for LoadBalancer services")
    p.add_argument("--storage-class", action="append", default=None,
                   help="a StorageClass to install (repeatable; the first is the default; "
                        "default: standard)")
    p.add_argument("--deletion-delay-ms", type=float, default=0,
                   help="time before a terminating object's controller acts")
    args = p.parse_args(argv)
    try:
        server = KubeApiServer(
            args.port, latency_ms=args.latency_ms, faults=args.faults,
            fault_seed=args.fault_seed, ready_after_ms=args.ready_after_ms,
            crd_delay_ms=args.crd_delay_ms, lb_range=args.lb_range,
            storage_classes=args.storage_class or ("standard",),
            deletion_delay_ms=args.deletion_delay_ms,
        )
    except ValueError as exc:
        p.error(str(exc))
    server.start()
    try:
        server.write_kubeconfig(args.kubeconfig)
        print(server.url, flush=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
