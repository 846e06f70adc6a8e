"""Vault Transit as a second key for the bootstrap state tier (as SOPS does with age + Transit).

The bootstrap directory keeps one X25519 age identity, wrapped by a Transit key
(``.transit-identity``: a ``vault:v1:...`` ciphertext, safe to commit). Every state file is
also encrypted to that identity's public key, so a machine with an age key or a Vault login
allowed to use the Transit key can read the state; the files stay plain age files that the
stock ``age`` CLI decrypts with an age identity. Vault is contacted only when the wrapped
identity is created or needed.
"""

from __future__ import annotations

import base64
import os
from typing import Any

import hvac  # type: ignore[import-untyped]
import hvac.exceptions as hv  # type: ignore[import-untyped]
import requests

from homestack.model import TransitSettings, VaultAuthMethod
from homestack.state.errors import StateConfigError, StateCorruptError


def _env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise StateConfigError(f"the environment variable {name} is not set",
                               subject="state settings transit.auth",
                               hint=f"export {name}=... to reach the Transit key")
    return value


class TransitKey:
    """Wraps and unwraps small secrets with one Transit key; logs in on first use."""

    def __init__(self, settings: TransitSettings) -> None:
        self.settings = settings

    def _client(self) -> Any:
        settings, auth = self.settings, self.settings.auth
        client = hvac.Client(url=settings.address, namespace=settings.namespace,
                             verify=settings.verify, timeout=10)
        if auth.method is VaultAuthMethod.TOKEN:
            client.token = _env(auth.token_env)
        elif auth.method is VaultAuthMethod.APPROLE:
            client.auth.approle.login(role_id=_env(auth.role_id_env),
                                      secret_id=_env(auth.secret_id_env),
                                      mount_point=auth.mount or "approle")
        else:
            raise StateConfigError("Transit supports token and AppRole logins",
                                   subject="state settings transit.auth")
        return client

    def _call(self, what: str, operation: str, **kwargs: Any) -> dict[str, Any]:
        subject = f"transit key {self.settings.mount}/{self.settings.key}"
        try:
            client = self._client()
            try:
                answer = getattr(client.secrets.transit, operation)(
                    name=self.settings.key, mount_point=self.settings.mount, **kwargs)
            finally:
                client.adapter.close()
        except (hv.VaultError, requests.RequestException) as error:
            raise StateConfigError(f"cannot {what} with Vault Transit ({type(error).__name__})",
                                   subject=subject,
                                   hint="Check the address, the login and that the token may "
                                        "use the key (encrypt and decrypt)") from error
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, dict):
            raise StateCorruptError(f"Vault Transit gave no answer to {what}", subject=subject)
        return data

    def wrap(self, plain: bytes) -> str:
        """Encrypt ``plain`` with the Transit key; the ``vault:v1:...`` ciphertext."""
        data = self._call("wrap the state identity", "encrypt_data",
                          plaintext=base64.b64encode(plain).decode())
        return str(data["ciphertext"])

    def unwrap(self, cipher: str) -> bytes:
        """Decrypt a ciphertext ``wrap`` made."""
        data = self._call("unwrap the state identity", "decrypt_data", ciphertext=cipher.strip())
        return base64.b64decode(str(data["plaintext"]))
