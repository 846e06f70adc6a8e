"""What a CI pipeline must be given to run Homestack for a Site: its secrets, by name.

The Site names environment variables and never holds their values; a pipeline takes each from
the CI system's secret store. A file (a kubeconfig, an age identity) is kept as the secret's
text and written to a private temporary file whose path the variable then holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from homestack.model import Site
from homestack.model.state_settings import STATE_URL_ENV
from homestack.model.vault_settings import VaultAuthMethod

NOTIFY_ENV = "HOMESTACK_NOTIFY"


@dataclass(frozen=True)
class CiSecret:
    """One secret: the variable Homestack reads, the CI secret's name, what it holds, and
    whether the value is a file's content (then the variable gets the file's path)."""

    env: str
    what: str
    file: bool = False

    @property
    def secret(self) -> str:
        """The secret's name in the CI system (Woodpecker and Forgejo want lower case)."""
        return self.env.lower()

    @property
    def carrier(self) -> str:
        """The variable the pipeline puts the secret in: ``env`` itself, or for a file,
        ``<env>_DATA`` from which the file is written."""
        return f"{self.env}_DATA" if self.file else self.env


def ci_secrets(site: Site) -> list[CiSecret]:
    """Every secret a pipeline of ``site`` needs, in a stable order."""
    found = [CiSecret(STATE_URL_ENV, "the PostgreSQL state URL (the state of a CI run must "
                                     "outlive it: SQLite under .homestack/ would not)")]
    if site.cluster is not None:
        found.append(CiSecret("KUBECONFIG", "a kubeconfig for the cluster", file=True))
    if site.state.bootstrap_stacks or site.state.age_recipients:
        found.append(CiSecret("HOMESTACK_AGE_IDENTITY",
                              "the age identity that reads the bootstrap state", file=True))
    if site.vault is not None:
        auth = site.vault.auth
        if auth.method is VaultAuthMethod.TOKEN:
            found.append(CiSecret(auth.token_env, "the Vault token"))
        elif auth.method is VaultAuthMethod.APPROLE:
            found += [CiSecret(auth.role_id_env, "the Vault AppRole role id"),
                      CiSecret(auth.secret_id_env, "the Vault AppRole secret id")]
    if site.dns is not None and site.dns.cloudflare is not None:
        found.append(CiSecret(site.dns.cloudflare.token_env, "the Cloudflare API token"))
    if site.dns is not None and site.dns.rfc2136 is not None:
        found.append(CiSecret(site.dns.rfc2136.tsig_secret_env, "the TSIG secret"))
    if site.proxmox is not None:
        found += [CiSecret(site.proxmox.token_id_env, "the Proxmox API token id"),
                  CiSecret(site.proxmox.token_secret_env, "the Proxmox API token secret")]
        if site.proxmox.join is not None:
            found += [CiSecret(site.proxmox.join.token_env, "the kubeadm join token"),
                      CiSecret(site.proxmox.join.ca_hash_env, "the kubeadm CA hash")]
    found.append(CiSecret(NOTIFY_ENV, "Apprise URLs for drift notifications"))
    return found


def materialize(secret: CiSecret) -> str:
    """The shell command that writes a file secret to a private temporary file and points
    its variable at it."""
    return (f'export {secret.env}="$(mktemp)" && '
            f'printf \'%s\\n\' "${secret.carrier}" > "${secret.env}"')
