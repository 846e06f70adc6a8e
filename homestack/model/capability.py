"""Platform capabilities: what a kit feature needs the homelab to run, and who provides it.

An ``ingress`` copies the wildcard TLS certificate with an ExternalSecret; a
``postgres_database`` is a CNPG ``Database`` on the shared cluster. On a cluster without
External Secrets or CNPG those objects cannot even be created. So every such component says
which capability it requires, a Stack says which it provides (``Stack(provides=[...])``), and
the Site names those that exist outside Homestack (``Site(platform=Platform(present=[...]))``,
for a k3s cluster that ships Traefik). A requirement nobody provides is invalid input at the
stack line that declared the component; one a Stack provides makes the requiring Stack need it.

A Stack that lists no ``provides`` provides the capabilities whose conventional Stack name it
has (``dbaas`` provides ``postgres``): the reference layout keeps working unchanged, and
``provides=[]`` opts out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pydantic import BaseModel

from homestack.model.modelconfig import FROZEN


class Capability(enum.Enum):
    """A platform feature a kit component can require."""

    EXTERNAL_SECRETS = "external-secrets"
    POSTGRES = "postgres"
    MYSQL = "mysql"
    TRAEFIK = "traefik"
    FORWARD_AUTH = "forward-auth"
    CERT_MANAGER = "cert-manager"
    LOAD_BALANCER = "load-balancer"


@dataclass(frozen=True)
class CapabilityFacts:
    """What a capability stands for, the Stack name that provides it by convention, and
    whether a Stack requiring it must be applied after its provider (its objects are custom
    resources of the provider's CRDs) or only needs it running eventually."""

    stands_for: str
    conventional_stack: str
    apply_after: bool


FACTS: dict[Capability, CapabilityFacts] = {
    Capability.EXTERNAL_SECRETS: CapabilityFacts(
        "External Secrets Operator with the vault-kv and vault-database ClusterSecretStores",
        "external-secrets", apply_after=True),
    Capability.POSTGRES: CapabilityFacts(
        "the shared CloudNativePG cluster pg-shared in namespace dbaas", "dbaas",
        apply_after=True),
    Capability.MYSQL: CapabilityFacts(
        "the shared MariaDB server mysql (mariadb-operator) in namespace mysql", "mysql",
        apply_after=True),
    Capability.TRAEFIK: CapabilityFacts(
        "Traefik with its CRDs (Middleware) and the shared middleware chain", "traefik",
        apply_after=True),
    Capability.FORWARD_AUTH: CapabilityFacts(
        "forward-auth through the identity provider's outpost", "authentik",
        apply_after=False),
    Capability.CERT_MANAGER: CapabilityFacts(
        "cert-manager with its CRDs (Certificate, ClusterIssuer)", "cert-manager",
        apply_after=True),
    Capability.LOAD_BALANCER: CapabilityFacts(
        "a LoadBalancer implementation (MetalLB) with the Site's address pool", "metallb",
        apply_after=False),
}


class Platform(BaseModel):
    """``Site(platform=Platform(present=[Capability.TRAEFIK]))``: capabilities the cluster
    has without a Stack of this homelab providing them."""

    model_config = FROZEN
    present: tuple[Capability, ...] = ()


def conventional(stack_name: str) -> tuple[Capability, ...]:
    """The capabilities a Stack called ``stack_name`` provides when it lists none."""
    return tuple(c for c, facts in FACTS.items() if facts.conventional_stack == stack_name)
