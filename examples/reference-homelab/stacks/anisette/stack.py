"""Anisette: the provisioning server Apple-device tools (SideStore, AltServer) ask for headers.

Its clients cannot log in, so the ingress is open and says so: the host rides the proxied
wildcard (the seeds left its DNS "none", which the wildcard made public anyway).
"""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, empty_dir, http_probe, ingress

stack = Stack("anisette", tier=tier.AUX, needs=["platform"],
              description="Anisette provisioning for sideloading tools")
server = deployment(
    stack, "anisette", image="docker.io/dadoum/anisette-v3-server:1.2.1", memory="512Mi",
    memory_request="256Mi", cpu="10m", port=6969, service_port=80,
    mounts={"/home/Alcoholic/.config/anisette-v3/lib": empty_dir("provisioning-cache")},
    probes=http_probe("/"), backend_kind="api",
)
ingress(stack, server, host="anisette", dns="proxied",
        auth=auth.none("Sideloading tools fetch headers without a login; it holds no data"),
        catalog=Catalog(name="Anisette", group="Tools", description="Anisette v3 server"))
