"""Site settings for people's kubeconfigs: the API server and the OIDC client they log in with.

``homestack kubeconfig USER`` writes a kubeconfig whose user logs in through the identity
provider (Authentik) with the ``kubectl oidc-login`` exec plugin: no static token is ever
written. The API server must trust the same issuer and client id (its ``--oidc-*`` flags).
"""

from __future__ import annotations

from pydantic import BaseModel, field_validator

from homestack.model.modelconfig import FROZEN


class KubeAccess(BaseModel):
    """``Site(kube_access=KubeAccess(...))``.

    ``api_server`` is the cluster's API URL (``https://...:6443``); ``oidc_issuer_url`` the
    issuer (Authentik: ``https://auth.example.org/application/o/kubernetes/``);
    ``oidc_client_id`` the OAuth2 client the API server accepts. ``certificate_authority`` is
    an optional path to the cluster CA file, written as a path (never inlined).
    """

    model_config = FROZEN
    api_server: str
    oidc_issuer_url: str
    oidc_client_id: str
    certificate_authority: str | None = None
    extra_scopes: tuple[str, ...] = ("email", "groups", "profile")

    @field_validator("api_server", "oidc_issuer_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError(f"{value!r} must be an https:// URL")
        return value
