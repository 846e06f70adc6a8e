"""The PVE API connection (proxmoxer over HTTPS, API-token auth) and task following.

Errors become the providers layer's typed errors from the HTTP status (PVE says 400 for
parameter errors with ``errors: {param: message}``, 401/403 for credentials); long operations
return a UPID that ``wait`` follows to the end or to the timeout.
"""

from __future__ import annotations

import os
import time
from typing import Any

from homestack.model import Proxmox
from homestack.providers.errors import (
    ForbiddenError,
    InvalidError,
    NotReadyError,
    ProviderConfigError,
    ProviderError,
    TransientError,
)


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


def call(subject: str, request: Any, *args: Any, **params: Any) -> Any:
    """Run one proxmoxer request; failures become typed provider errors naming ``subject``."""
    from proxmoxer.core import ResourceException
    from requests import RequestException

    try:
        return request(*args, **params)
    except ResourceException as exc:
        errors = exc.errors if isinstance(exc.errors, dict) else {}
        detail = "; ".join(f"{k}: {v}" for k, v in errors.items())
        message = f"PVE refused: {exc.content}" + (f" ({detail})" if detail else "")
        if exc.status_code == 400:
            raise InvalidError(message, subject=subject, fields=tuple(errors)) from exc
        if exc.status_code in (401, 403):
            raise ForbiddenError(message, subject=subject,
                                 hint="Check the API token and its privileges") from exc
        if exc.status_code >= 502:
            raise TransientError(message, subject=subject) from exc
        raise ProviderError(message, subject=subject) from exc
    except RequestException as exc:
        raise TransientError(f"PVE unreachable ({exc})", subject=subject) from exc


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
