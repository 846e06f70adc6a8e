"""The fake's endpoints: (method, path pattern) → handler over the ``PveStore``.

Covers what the ``pve`` provider calls: version, nodes, qemu list/create/clone/config/pending/
status/resize/delete, task status, storage content and ``/cluster/nextid``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import PveError, invalid
from .schema import is_net, with_mac
from .store import PveStore, Vm, config_digest, parse_vmid

Params = dict[str, str]
Handler = Callable[[PveStore, dict[str, str], Params, str], Any]
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []
_QEMU = r"/nodes/(?P<node>[^/]+)/qemu"
_VM = _QEMU + r"/(?P<vmid>[^/]+)"


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for ``method`` on paths matching ``pattern``."""
    def register(handler: Handler) -> Handler:
        ROUTES.append((method, re.compile(f"^{pattern}$"), handler))
        return handler
    return register


def dispatch(store: PveStore, method: str, path: str, params: Params, user: str) -> Any:
    """Run the handler for ``method path``; 501 like PVE for an unknown method/path."""
    for verb, pattern, handler in ROUTES:
        match = pattern.match(path)
        if match and verb == method:
            with store.lock:
                if "node" in match.groupdict():
                    store.node_or_404(match["node"])
                return handler(store, match.groupdict(), params, user)
    raise PveError(501, f"Method '{method} {path}' not implemented")


@route("GET", "/version")
def _version(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    return {"version": "8.2.4", "release": "8.2", "repoid": "faa83925c9641325"}


@route("GET", "/nodes")
def _nodes(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    return [{"node": store.node, "status": "online", "type": "node", "maxcpu": 44,
             "maxmem": 160 * 1024 ** 3}]


@route("GET", "/cluster/nextid")
def _nextid(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    if "vmid" in p:
        vmid = parse_vmid(p["vmid"])
        if vmid in store.vms:
            raise invalid({"vmid": f"VM {vmid} already exists"})
        return str(vmid)
    return str(next(i for i in range(100, 1_000_000) if i not in store.vms))


@route("GET", _QEMU)
def _list(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    return store.listing()


def _new_vmid(store: PveStore, text: str | None, param: str) -> int:
    if text is None:
        raise invalid({param: "property is missing and it is not optional"})
    vmid = parse_vmid(text)
    if vmid in store.vms:
        raise PveError(500, f"unable to create VM {vmid}: config file already exists")
    return vmid


@route("POST", _QEMU)
def _create(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    params = dict(p)
    vmid = _new_vmid(store, params.pop("vmid", None), "vmid")
    start = params.pop("start", "0") == "1"
    store.checked(params)
    config: dict[str, str] = {}
    for key, value in sorted(params.items()):
        config[key] = store.allocate(vmid, key, value, config) if _disk(key) else value
        if is_net(key):
            config[key] = with_mac(value, f"{vmid}/{key}")
    store.vms[vmid] = Vm(vmid, {"lock": "create"})

    def work() -> None:
        store.vms[vmid].config.update(config)
        if start:
            store.vms[vmid].status = "running"

    return store.start_task("qmcreate", vmid, user, work,
                            on_fail=lambda: store.vms.pop(vmid, None), hold="create")


CLONE_PARAMS = frozenset({"newid", "name", "description", "full", "storage", "target", "pool",
                          "format", "snapname", "bwlimit"})


@route("POST", _VM + "/clone")
def _clone(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    unknown = sorted(set(p) - CLONE_PARAMS)
    if unknown:
        raise invalid(dict.fromkeys(unknown, "property is not defined in schema and the "
                                              "schema does not allow additional properties"))
    source = store.unlocked(m["vmid"])
    newid = _new_vmid(store, p.get("newid"), "newid")
    copied = {k: v for k, v in source.config.items() if k not in ("template", "lock")}
    for key, value in list(copied.items()):
        if _disk(key) and "media=cdrom" not in value:
            copied[key] = re.sub(r"(base|vm)-\d+-disk-", f"vm-{newid}-disk-", value)
        elif _disk(key):
            copied[key] = value.replace(f"vm-{source.vmid}-", f"vm-{newid}-")
    for key in ("name", "description"):
        if key in p:
            copied[key] = p[key]
    store.vms[newid] = Vm(newid, {"lock": "clone", **{k: v for k, v in copied.items()
                                                       if k in ("name", "description")}})

    def work() -> None:
        store.vms[newid].config.update(copied)

    return store.start_task("qmclone", newid, user, work,
                            on_fail=lambda: store.vms.pop(newid, None), hold="clone")


@route("GET", _VM + "/config")
def _config(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    vm = store.vm(m["vmid"])
    config = dict(vm.config if p.get("current") == "1" else vm.effective())
    config["digest"] = config_digest(vm.config)
    return config


@route("GET", _VM + "/pending")
def _pending(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    return store.pending_rows(store.vm(m["vmid"]))


@route("POST", _VM + "/config")
def _config_async(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    vm = store.unlocked(m["vmid"])
    store.set_config(vm, dict(p))
    return store.start_task("qmconfig", vm.vmid, user, lambda: None)


@route("PUT", _VM + "/config")
def _config_sync(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    store.set_config(store.unlocked(m["vmid"]), dict(p))
    return None


@route("PUT", _VM + "/resize")
def _resize(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    vm = store.unlocked(m["vmid"])
    missing = {k: "property is missing and it is not optional" for k in ("disk", "size")
               if k not in p}
    if missing:
        raise invalid(missing)
    store.resize(vm, p["disk"], p["size"])
    return store.start_task("resize", vm.vmid, user, lambda: None)


@route("GET", _VM + "/status/current")
def _current(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    vm = store.vm(m["vmid"])
    answer: dict[str, object] = {"vmid": vm.vmid, "status": vm.status, "qmpstatus": vm.status,
                                 "name": vm.config.get("name", ""),
                                 "cpus": int(vm.config.get("cores", "1"))}
    if vm.lock:
        answer["lock"] = vm.lock
    return answer


def _power(kind: str, want: str | None, becomes: str, pending: bool) -> Handler:
    def handler(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
        vm = store.unlocked(m["vmid"])
        if want == "stopped" and vm.status == "running":
            raise PveError(500, f"VM {vm.vmid} already running")
        if want == "running" and vm.status != "running":
            raise PveError(500, f"VM {vm.vmid} not running")

        def work() -> None:
            if pending:
                store.apply_pending(vm)
            if becomes == "running":
                store.startable(vm)
            vm.status = becomes
        return store.start_task(kind, vm.vmid, user, work)
    return handler


route("POST", _VM + "/status/start")(_power("qmstart", "stopped", "running", True))
route("POST", _VM + "/status/stop")(_power("qmstop", None, "stopped", False))
route("POST", _VM + "/status/shutdown")(_power("qmshutdown", "running", "stopped", False))
route("POST", _VM + "/status/reboot")(_power("qmreboot", "running", "running", True))


@route("DELETE", _VM)
def _destroy(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    vm = store.unlocked(m["vmid"])
    if vm.status == "running":
        raise PveError(500, f"VM {vm.vmid} is running - destroy failed")
    if vm.config.get("protection") == "1":
        raise PveError(500, "can't remove VM - protection mode enabled")
    return store.start_task("qmdestroy", vm.vmid, user,
                            lambda: store.vms.pop(vm.vmid, None), hold="destroyed")


@route("GET", r"/nodes/(?P<node>[^/]+)/tasks/(?P<upid>[^/]+)/status")
def _task(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    return store.task(m["upid"]).as_status()


@route("GET", r"/nodes/(?P<node>[^/]+)/storage/(?P<storage>[^/]+)/content")
def _content(store: PveStore, m: dict[str, str], p: Params, user: str) -> Any:
    storage = m["storage"]
    if storage not in store.storages:
        raise PveError(500, f"storage '{storage}' does not exist")
    rows: list[dict[str, object]] = []
    if p.get("content") in (None, "images"):
        for vm in store.vms.values():
            for key, value in vm.config.items():
                volume = value.split(",")[0]
                if _disk(key) and volume.startswith(storage + ":"):
                    rows.append({"volid": volume, "vmid": vm.vmid, "content": "images",
                                 "format": "raw"})
    if p.get("content") in (None, "snippets") and store.snippets_dir is not None \
            and storage == "local":
        for path in sorted(store.snippets_dir.glob("*")):
            rows.append({"volid": f"local:snippets/{path.name}", "content": "snippets",
                         "format": "snippet", "size": path.stat().st_size})
    return rows


def _disk(key: str) -> bool:
    from .schema import is_disk
    return is_disk(key)
