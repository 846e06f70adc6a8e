"""The PVE API connection (proxmoxer over HTTPS, API-token auth) and task following.

Errors become the providers layer's typed errors from the HTTP status through
``classify_http`` (PVE says 400 for parameter errors with ``errors: {param: message}``,
401/403 for credentials, 5xx when the node could not do it now); long operations
return a UPID that ``wait`` follows to the end or to the timeout.
"""

from __future__ import annotations

import os
import time
from typing import Any

from homestack.model import Proxmox
from homestack.providers.errors import (
    NotReadyError,
    ProviderConfigError,
    ProviderError,
    classify_http,
    never_sent,
    unreachable,
)
from homestack.providers.retrying import RetryPolicy, retried

# PVE answers 500 when it refuses an operation (the VM exists, is running, is protected, a
# storage is missing) and 501 for a method it lacks: no retry changes those. Its 502-504 are
# the proxy's and stay transient.
PVE_STATUS: dict[int, type[ProviderError]] = {500: ProviderError, 501: ProviderError}


def connect(settings: Proxmox) -> Any:
    """A proxmoxer API object for ``settings``; the token comes from the named env vars."""
    from proxmoxer import ProxmoxAPI  # only when the Site configures Proxmox

    token_id = os.environ.get(settings.token_id_env, "")
    secret = os.environ.get(settings.token_secret_env, "")
    user, bang, token_name = token_id.partition("!")
    if not bang or not secret:
        raise ProviderConfigError(
            f"no Proxmox API token in ${settings.token_id_env} / ${settings.token_secret_env}",
            subject="site.proxmox",
            hint=f"Export {settings.token_id_env}=user@realm!tokenid and "
                 f"{settings.token_secret_env}=<secret> (a PVE API token)")
    host = settings.url.removeprefix("https://").rstrip("/")
    verify: bool | str = settings.ca_file or settings.verify_tls
    return ProxmoxAPI(host, user=user, token_name=token_name, token_value=secret,
                      verify_ssl=verify, timeout=30)


# Requests that may be sent again after a failure that may have landed: reads and the
# setting of values. A POST (clone, create, start, a config change that runs a task) or a
# DELETE is repeated only when PVE said it did not do it.
REPEATABLE = frozenset({"get", "put"})


def call(subject: str, request: Any, *args: Any, **params: Any) -> Any:
    """Run one proxmoxer request, retried when transient (``retried``); failures become
    typed provider errors naming ``subject``."""
    repeatable = getattr(request, "__name__", "") in REPEATABLE
    return retried(lambda: _once(subject, request, *args, **params), RetryPolicy.default(),
                   repeatable=repeatable)


def _once(subject: str, request: Any, *args: Any, **params: Any) -> Any:
    from proxmoxer.core import ResourceException
    from requests import RequestException

    try:
        return request(*args, **params)
    except ResourceException as exc:
        errors = exc.errors if isinstance(exc.errors, dict) else {}
        detail = "; ".join(f"{k}: {v}" for k, v in errors.items())
        message = f"PVE refused: {exc.content}" + (f" ({detail})" if detail else "")
        status = int(exc.status_code)
        hint = "Check the API token and its privileges" if status in (401, 403) else None
        raise classify_http(status, message, subject=subject, hint=hint,
                            fields=tuple(errors), overrides=PVE_STATUS) from exc
    except RequestException as exc:
        raise unreachable("PVE", exc, subject=subject, sent=not never_sent(exc)) from exc


def wait(api: Any, node: str, upid: str, subject: str, timeout: float) -> None:
    """Follow the task ``upid`` until it stops; raise when it failed or outlived ``timeout``."""
    deadline = time.monotonic() + timeout
    pause = 0.05
    while True:
        status = call(subject, api.nodes(node).tasks(upid).status.get)
        if status.get("status") == "stopped":
            if status.get("exitstatus") != "OK":
                raise ProviderError(f"PVE task {status.get('type')} failed: "
                                    f"{status.get('exitstatus')}", subject=subject,
                                    hint=f"See the task log of {upid} on the PVE host")
            return
        if time.monotonic() > deadline:
            raise NotReadyError(f"PVE task {upid} still running after {timeout:g} s",
                                subject=subject,
                                hint="Raise site.proxmox.task_timeout or check the PVE host")
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def wait_unlocked(api: Any, node: str, vmid: int, subject: str, timeout: float) -> None:
    """Wait until no task holds the VM's lock (a clone left running by a killed run)."""
    deadline = time.monotonic() + timeout
    while call(subject, api.nodes(node).qemu(vmid).status.current.get).get("lock"):
        if time.monotonic() > deadline:
            raise NotReadyError(f"VM {vmid} still locked after {timeout:g} s", subject=subject,
                                hint="A PVE task holds the VM; wait for it or `qm unlock`")
        time.sleep(0.1)
