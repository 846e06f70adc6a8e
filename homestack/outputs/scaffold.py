"""The stack file ``homestack new`` writes: the kit's typical shape, the Site's defaults in it.

A Deployment with memory and cpu requests that fit the tier, an ingress (behind forward-auth
for the Site's admin group when the homelab has an identity provider), a catalog tile and,
when asked, a Postgres database: on the shared cluster when the homelab provides one, else a
server of the Stack's own. Pure: the caller writes the text.
"""

from __future__ import annotations

import json
import re

from homestack.catalog import Homelab
from homestack.kit._meta import check_image
from homestack.model import Capability, ModelError, Site
from homestack.model.tier import NamespaceTier

NAME = re.compile(r"^[a-z]([-a-z0-9]{0,40}[a-z0-9])?$")
IMAGE = "docker.io/traefik/whoami:v1.10.3"  # pinned and small: replace with the Service's own


def provided(homelab: Homelab) -> frozenset[Capability]:
    """The capabilities the homelab's Stacks provide or its Site declares present."""
    found = {c for stack in homelab.stacks.values() for c in stack.capabilities}
    return frozenset(found | set(homelab.site.platform.present))


def stack_file(homelab: Homelab, name: str, *, tier: NamespaceTier = NamespaceTier.AUX,
               image: str = IMAGE, port: int = 80, postgres: bool = False) -> str:
    """The text of ``stacks/<name>/stack.py`` for a new Stack ``name``: it uses only what
    the homelab provides (forward-auth, the wildcard certificate, the shared Postgres) and
    does without what it does not, so it validates and applies as written."""
    if not NAME.fullmatch(name):
        raise ModelError(f"{name!r} is not a Stack name", subject="homestack new",
                         hint="Use lowercase letters, digits and dashes, starting with a "
                              "letter (it becomes a namespace name)")
    check_image(image, None, "homestack new --image")
    site = homelab.site
    has = provided(homelab)
    title = name.replace("-", " ").title()
    helpers = {"Catalog", "auth", "deployment", "ingress"}
    lines = [f'"""{title}: TODO say what this Service does. Reached at '
             f'https://{name}.{site.domains.public}."""', "",
             "from homestack import Stack, tier", "from homestack.kit import {helpers}", "",
             f'stack = Stack({_q(name)}, tier=tier.{tier.name}, description="TODO: one line '
             'for the catalog")']
    env = ""
    if postgres:
        if Capability.POSTGRES in has:
            helpers.add("postgres_database")
            lines.append(f"db = postgres_database(stack, {_q(name)})")
        else:
            helpers.add("postgres_server")
            lines.append("# No shared Postgres in this homelab: a server of the Stack's own.")
            lines += _server(site, helpers)
        env = ('\n    env={"DB_HOST": db.host, "DB_PORT": str(db.port), "DB_NAME": db.database,'
               '\n         "DB_USER": db.user, "DB_PASSWORD": db.password},')
    lines.append(f"app = deployment(\n    stack, {_q(name)}, image={_q(image)}, memory=\"64Mi\", "
                 f"cpu=\"10m\", port={port},{env}\n)")
    options = [f"stack, app, host={_q(name)},"]
    if Capability.FORWARD_AUTH in has:
        options.append(f"auth=auth.required(groups=[{_q(site.identity.admin_group)}]),")
    else:
        lines.append("# No identity provider runs yet: use auth.required() once one does.")
        options.append('auth=auth.none("no identity provider in this homelab yet"),')
    if Capability.EXTERNAL_SECRETS not in has:
        helpers.add("certs")
        lines.append("# The wildcard certificate needs External Secrets: until the homelab "
                     "has it, the\n# ingress controller serves its own.")
        options.append("tls=certs.controller_default(),")
    options.append(f'catalog=Catalog(name={_q(title)}, group="Apps", description="TODO"),')
    lines.append("ingress(\n" + "".join(f"    {o}\n" for o in options) + ")")
    text = "\n".join(lines) + "\n"
    return text.replace("{helpers}", ", ".join(sorted(helpers)))


def _server(site: Site, helpers: set[str]) -> list[str]:
    """The ``postgres_server`` line: on the Site's encrypted block class with its backups
    (``block_volume``) when there is one, else on a claim of the Site's default class."""
    classes = site.storage_classes
    if any(sc.block and sc.sensitive for sc in classes) and site.nfs is not None:
        helpers.add("block_volume")
        return ['db = postgres_server(stack, volume=block_volume(stack, "postgres-data", '
                'size="4Gi"))']
    chosen = next((sc for sc in classes if sc.implicit_default), classes[0] if classes else None)
    if chosen is None:
        return ["db = postgres_server(stack)  # TODO: storage_class=, the Site declares none"]
    line = f"db = postgres_server(stack, storage_class={_q(chosen.name)}"
    if chosen.sensitive:
        return [line + ")"]
    return [f"# {chosen.name} is not encrypted: the data is marked as not sensitive.",
            line + ", sensitive=False)"]


def _q(text: str) -> str:
    """``text`` as a double-quoted Python string."""
    return json.dumps(text)
