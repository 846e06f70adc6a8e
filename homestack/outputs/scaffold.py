"""The stack file ``homestack new`` writes: the kit's typical shape, the Site's defaults in it.

A Deployment with memory and cpu requests that fit the tier, an ingress behind forward-auth
for the Site's admin group (fail closed), a catalog tile, and the ``needs`` the ingress implies
when the homelab runs an identity provider Stack. Pure: the caller writes the text.
"""

from __future__ import annotations

import re

from homestack.catalog import Homelab
from homestack.model import ModelError
from homestack.model.tier import NamespaceTier

NAME = re.compile(r"^[a-z]([-a-z0-9]{0,40}[a-z0-9])?$")
IMAGE = "docker.io/traefik/whoami:v1.10.3"  # pinned and small: replace with the Service's own
IDENTITY_STACK = "authentik"


def stack_file(homelab: Homelab, name: str, *, tier: NamespaceTier = NamespaceTier.AUX,
               image: str = IMAGE, port: int = 80) -> str:
    """The text of ``stacks/<name>/stack.py`` for a new Stack ``name``."""
    if not NAME.match(name):
        raise ModelError(f"{name!r} is not a Stack name", subject="homestack new",
                         hint="Use lowercase letters, digits and dashes, starting with a "
                              "letter (it becomes a namespace name)")
    site = homelab.site
    title = name.replace("-", " ").title()
    needs = [IDENTITY_STACK] if IDENTITY_STACK in homelab.stacks else []
    host = f"{name}.{site.domains.public}"
    return f'''"""{title}: TODO say what this Service does. Reached at https://{host}."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack({name!r}, tier=tier.{tier.name}, needs={needs!r},
              description="TODO: one line for the catalog")
app = deployment(stack, {name!r}, image={image!r}, memory="64Mi", cpu="10m", port={port})
ingress(stack, app, host={name!r}, auth=auth.required(groups=[{site.identity.admin_group!r}]),
        catalog=Catalog(name={title!r}, group="Apps", description="TODO"))
'''
