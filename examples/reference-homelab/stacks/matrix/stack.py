"""Matrix: a Synapse homeserver with Element as the web client.

Federation and clients talk to Synapse's API, which cannot sit behind forward-auth; Element is a
static client that logs in against it.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    http_probe,
    ingress,
    postgres_database,
    vault_secret,
)

stack = Stack("matrix", tier=tier.AUX, needs=["authentik"], description="Chat homeserver")
db = postgres_database(stack, "matrix", user="synapse")
media = block_volume(stack, "media", size="20Gi")
synapse = deployment(
    stack, "synapse", image="ghcr.io/element-hq/synapse:v1.121.1", memory="768Mi",
    cpu="200m", port=8008, backend_kind="api", mounts={"/data": media},
    env={"SYNAPSE_SERVER_NAME": "example.org", "SYNAPSE_REPORT_STATS": "no",
         "POSTGRES_HOST": db.host, "POSTGRES_DB": db.database, "POSTGRES_USER": db.user,
         "POSTGRES_PASSWORD": db.password,
         "SYNAPSE_REGISTRATION_SHARED_SECRET": vault_secret(stack, "registration_secret"),
         "SYNAPSE_MACAROON_SECRET_KEY": vault_secret(stack, "macaroon_secret")},
    probes=http_probe("/health"),
)
ingress(stack, synapse, host="matrix",
        auth=auth.none("Client-server and federation API: Synapse authenticates every call"),
        max_body_size="100Mi",
        catalog=Catalog(name="Synapse", group="Communication", description="Matrix homeserver API"),
        external_monitor=True)
element = deployment(
    stack, "element", image="docker.io/vectorim/element-web:v1.11.89", memory="64Mi",
    cpu="10m", port=80,
)
ingress(stack, element, host="chat-web.home.arpa",
        auth=auth.none("Static client on the internal domain; logins go to Synapse"),
        dns="none",
        catalog=Catalog(name="Element", group="Communication", icon="element.png",
                        description="Matrix web client for the LAN"))
