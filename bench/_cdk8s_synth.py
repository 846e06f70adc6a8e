"""Synthesize objects with cdk8s: one Chart per Stack, one ApiObject per object.

Runs inside the cdk8s virtualenv (``bench/.venv-cdk8s``), not Homestack's, as
``python _cdk8s_synth.py OBJECTS.json OUTDIR``; prints its own stage timings as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

_TOP = ("apiVersion", "kind", "metadata")


def main(objects_file: str, outdir: str) -> None:
    start = time.perf_counter()
    from cdk8s import ApiObject, App, Chart, JsonPatch

    imported = time.perf_counter()
    with open(objects_file, encoding="utf-8") as handle:
        objects: dict[str, list[dict[str, Any]]] = json.load(handle)
    app = App(outdir=outdir)
    count = 0
    for stack, items in objects.items():
        chart = Chart(app, stack)
        for index, item in enumerate(items):
            body = item["body"]
            if item["provider"] != "k8s":
                continue
            metadata = body["metadata"]
            obj = ApiObject(chart, f"o{index}", api_version=body["apiVersion"],
                            kind=body["kind"],
                            metadata={"name": metadata["name"],
                                      **({"namespace": metadata["namespace"]}
                                         if metadata.get("namespace") else {})})
            for key, value in metadata.items():
                if key not in ("name", "namespace"):
                    obj.add_json_patch(JsonPatch.add(f"/metadata/{key}", value))
            for key, value in body.items():
                if key not in _TOP:
                    obj.add_json_patch(JsonPatch.add(f"/{key}", value))
            count += 1
    built = time.perf_counter()
    app.synth()
    done = time.perf_counter()
    print(json.dumps({"objects": count, "import_s": round(imported - start, 4),
                      "build_s": round(built - imported, 4), "synth_s": round(done - built, 4)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
