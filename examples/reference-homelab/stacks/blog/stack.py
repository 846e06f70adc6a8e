"""The blog on the apex domain: Ghost behind the Anubis proof-of-work proxy.

Public content with no login at the edge: Anubis keeps scrapers out, the LAN passes without a
challenge. Ghost's admin and its API are carved out, since API clients cannot solve PoW.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    anubis,
    auth,
    block_volume,
    deployment,
    http_probe,
    ingress,
    mysql_database,
    vault_secret,
)

stack = Stack("blog", tier=tier.AUX, needs=["authentik"], description="Public blog")
db = mysql_database(stack, "ghost")
content = block_volume(stack, "content", size="5Gi", sensitive=False)
ghost = deployment(
    stack, "ghost", image="docker.io/library/ghost:5.105.0", memory="384Mi", cpu="50m",
    port=2368, mounts={"/var/lib/ghost/content": content},
    env={"url": "https://example.org", "database__client": "mysql",
         "database__connection__host": db.host, "database__connection__user": db.user,
         "database__connection__database": db.database,
         "database__connection__password": db.password,
         "mail__transport": "SMTP", "mail__options__host": "mail.example.org",
         "mail__options__auth__pass": vault_secret(stack, "smtp_password")},
    probes=http_probe("/ghost/api/admin/site/", roles=["readiness"]),
)
gate = anubis(stack, ghost, difficulty=4)
ingress(stack, gate, name="blog", host="@", dns="proxied",
        auth=auth.none("Public blog; Anubis proof-of-work keeps scrapers out"),
        carve_outs={"/ghost": auth.app("Ghost admin has its own staff login and 2FA")},
        catalog=Catalog(name="Blog", group="Public", icon="ghost.png",
                        description="The public blog on the apex domain"), external_monitor=True)
