"""A roster user's kubeconfig: OIDC through the identity provider, no static credentials.

The user entry runs ``kubectl oidc-login get-token`` (the kubelogin exec plugin) against the
Site's issuer and client id; the cluster is the Site's API server; the context and its default
namespace are named after the user (their first namespace, else ``default``).
"""

from __future__ import annotations

from typing import Any

import yaml

from homestack.model import KubeAccess, Site, User

EXEC_API = "client.authentication.k8s.io/v1beta1"


def kubeconfig(site: Site, access: KubeAccess, user: User) -> dict[str, Any]:
    """The kubeconfig of ``user`` as a dict."""
    cluster: dict[str, Any] = {"server": access.api_server}
    if access.certificate_authority:
        cluster["certificate-authority"] = access.certificate_authority
    args = ["oidc-login", "get-token", f"--oidc-issuer-url={access.oidc_issuer_url}",
            f"--oidc-client-id={access.oidc_client_id}"]
    args += [f"--oidc-extra-scope={scope}" for scope in access.extra_scopes]
    namespace = user.namespaces[0] if user.namespaces else "default"
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": site.name, "cluster": cluster}],
        "users": [{"name": user.name, "user": {"exec": {
            "apiVersion": EXEC_API, "command": "kubectl", "args": args,
            "interactiveMode": "IfAvailable", "provideClusterInfo": False,
        }}}],
        "contexts": [{"name": user.name, "context": {
            "cluster": site.name, "user": user.name, "namespace": namespace}}],
        "current-context": user.name,
        "preferences": {},
    }


def kubeconfig_yaml(site: Site, access: KubeAccess, user: User) -> str:
    """The kubeconfig of ``user`` as YAML."""
    return yaml.safe_dump(kubeconfig(site, access, user), sort_keys=False)
