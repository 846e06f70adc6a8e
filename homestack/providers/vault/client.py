"""The one place that talks HTTP to Vault (or OpenBao): login, read, write, delete.

Logs in from the Site's ``VaultSettings`` (a token, an AppRole or a Kubernetes service
account, each read from the environment or a file named there) and classifies every failure
by its HTTP status into the providers' typed errors; nothing is decided from an error's text.
Values read here are handed back to the caller and never logged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import hvac  # type: ignore[import-untyped]
import hvac.exceptions as hv  # type: ignore[import-untyped]
import requests

from homestack.model import VaultAuthMethod, VaultSettings
from homestack.providers.environment import required_env
from homestack.providers.errors import (
    NotFoundError,
    ProviderConfigError,
    ProviderError,
    classify_http,
    never_sent,
    unreachable,
)
from homestack.providers.retrying import RetryPolicy, retried

T = TypeVar("T")

# hvac raises one exception class per HTTP status: the status it stands for (rules are data).
_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (hv.InvalidRequest, 400),
    (hv.Unauthorized, 401),
    (hv.Forbidden, 403),
    (hv.InvalidPath, 404),
    (hv.PreconditionFailed, 412),
    (hv.RateLimitExceeded, 429),
    (hv.InternalServerError, 500),
    (hv.BadGateway, 502),
    (hv.VaultDown, 503),
)


@contextmanager
def classified(subject: str) -> Iterator[None]:
    """Turn hvac and transport failures inside the block into typed provider errors."""
    try:
        yield
    except ProviderError:
        raise
    except requests.RequestException as exc:
        raise unreachable("vault", exc, subject=subject, sent=not never_sent(exc)) from exc
    except Exception as exc:
        for caught, status in _STATUS:
            if isinstance(exc, caught):
                # hvac messages hold the server's errors list; never a request body.
                raise classify_http(status, f"vault refused the request "
                                    f"({type(exc).__name__}: {_errors_of(exc)})",
                                    subject=subject) from exc
        raise


def _errors_of(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    return "; ".join(str(e) for e in errors) if errors else type(exc).__name__


def _env(name: str, what: str) -> str:
    return required_env(name, what=what, subject="site.vault.auth",
                        hint=f"export {name}=... before running homestack")


class VaultClient:
    """An authenticated client: generic read/write/delete plus the KV v2 calls."""

    def __init__(self, settings: VaultSettings, retry: RetryPolicy | None = None) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy.default()
        self._hvac = hvac.Client(url=settings.address, namespace=settings.namespace,
                                 verify=settings.verify, timeout=settings.timeout)
        self._login()

    def _login(self) -> None:
        retried(self._login_once, self.retry)

    def _login_once(self) -> None:
        auth = self.settings.auth
        with classified("vault login"):
            if auth.method is VaultAuthMethod.TOKEN:
                self._hvac.token = _env(auth.token_env, "vault token login")
            elif auth.method is VaultAuthMethod.APPROLE:
                self._hvac.auth.approle.login(
                    role_id=_env(auth.role_id_env, "vault AppRole login"),
                    secret_id=_env(auth.secret_id_env, "vault AppRole login"),
                    mount_point=auth.mount or "approle")
            else:
                if not auth.role:
                    raise ProviderConfigError("vault Kubernetes login needs a role",
                                              subject="site.vault.auth.role")
                jwt = Path(auth.jwt_path).read_text().strip()
                self._hvac.auth.kubernetes.login(role=auth.role, jwt=jwt,
                                                 mount_point=auth.mount or "kubernetes")

    def call(self, subject: str, action: Callable[[Any], T], *, repeatable: bool = True) -> T:
        """Run ``action(hvac_client)`` with failures classified for ``subject``, retried
        when transient (``retried``; ``repeatable`` False for a compare-and-set write)."""
        def once() -> T:
            with classified(subject):
                return action(self._hvac)

        return retried(once, self.retry, repeatable=repeatable)

    def read(self, path: str) -> dict[str, Any] | None:
        """GET ``path``: its ``data``, or None when it does not exist."""
        answer = self.call(path, lambda c: c.read(path))
        if answer is None:
            return None
        data = answer.get("data") if isinstance(answer, dict) else None
        return data if isinstance(data, dict) else {}

    def write(self, path: str, data: dict[str, Any]) -> None:
        """POST ``data`` to ``path``."""
        self.call(path, lambda c: c.write_data(path, data=data))

    def delete(self, path: str) -> None:
        """DELETE ``path`` (absent is fine)."""
        try:
            self.call(path, lambda c: c.delete(path))
        except NotFoundError:
            return

    def kv_read(self, mount: str, path: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The current version of a KV v2 secret: (data, metadata), None when absent."""
        subject = f"{mount}/{path}"
        try:
            answer = self.call(subject, lambda c: c.secrets.kv.v2.read_secret_version(
                path=path, mount_point=mount, raise_on_deleted_version=True))
        except NotFoundError:
            return None
        body = answer.get("data") or {}
        return dict(body.get("data") or {}), dict(body.get("metadata") or {})

    def mounts(self) -> dict[str, Any]:
        """The enabled secrets engines by path (``database/``)."""
        answer = self.call("sys/mounts", lambda c: c.sys.list_mounted_secrets_engines())
        data = answer.get("data", answer)
        return {k: v for k, v in data.items() if isinstance(v, dict)}

    def close(self) -> None:
        """Release the HTTP session."""
        self._hvac.adapter.close()
