"""The vault client logs in as the Site says, with secrets read from the environment only."""

from __future__ import annotations

import pytest

from homestack.model import VaultAuth, VaultAuthMethod, VaultSettings
from homestack.providers.errors import ForbiddenError, ProviderConfigError
from homestack.providers.vault.client import VaultClient
from homestack_testing.openbao import OpenBaoServer


@pytest.fixture(scope="module")
def approle(openbao: OpenBaoServer) -> tuple[str, str]:
    """An AppRole that may read ``secret/data/login``: its role_id and a secret_id."""
    mounts = openbao.request("GET", "sys/auth")
    if "approle/" not in mounts.get("data", mounts):
        openbao.request("POST", "sys/auth/approle", {"type": "approle"})
    openbao.request("POST", "sys/policies/acl/login-test",
                    {"policy": 'path "secret/data/login" { capabilities = ["read"] }'})
    openbao.request("POST", "auth/approle/role/homestack", {"token_policies": ["login-test"]})
    role_id = openbao.request("GET", "auth/approle/role/homestack/role-id")["data"]["role_id"]
    secret_id = openbao.request("POST", "auth/approle/role/homestack/secret-id")["data"][
        "secret_id"]
    openbao.cli("kv", "put", "secret/login", "api_key=x", "user=y")
    return role_id, secret_id


def test_approle_login_from_environment_variables(
        openbao: OpenBaoServer, approle: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HS_TEST_ROLE_ID", approle[0])
    monkeypatch.setenv("HS_TEST_SECRET_ID", approle[1])
    auth = VaultAuth(method=VaultAuthMethod.APPROLE, role_id_env="HS_TEST_ROLE_ID",
                     secret_id_env="HS_TEST_SECRET_ID")
    client = VaultClient(VaultSettings(address=openbao.address, auth=auth))
    try:
        found = client.kv_read("secret", "login")
        assert found is not None and sorted(found[0]) == ["api_key", "user"]
        with pytest.raises(ForbiddenError):  # the AppRole's policy allows only that path
            client.kv_read("secret", "other")
    finally:
        client.close()


def test_missing_token_variable_names_it(openbao: OpenBaoServer,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HS_TEST_NO_TOKEN", raising=False)
    settings = VaultSettings(address=openbao.address, auth=VaultAuth(token_env="HS_TEST_NO_TOKEN"))
    with pytest.raises(ProviderConfigError, match="HS_TEST_NO_TOKEN"):
        VaultClient(settings)


def test_a_wrong_token_is_forbidden(openbao: OpenBaoServer,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HS_TEST_BAD_TOKEN", "not-a-token")
    client = VaultClient(VaultSettings(address=openbao.address,
                                       auth=VaultAuth(token_env="HS_TEST_BAD_TOKEN")))
    try:
        with pytest.raises(ForbiddenError):
            client.kv_read("secret", "login")
    finally:
        client.close()
