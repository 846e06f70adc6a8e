"""Routes to what does not run in Kubernetes: the Proxmox UI, pfSense, Home Assistant, the NAS.

Each backend is a selector-less Service with an EndpointSlice at the machine's address (or an
ExternalName for the offsite NAS, reached over the VPN by name), so Traefik routes to it like to
any Service and the ingress chain, TLS and auth stay the same.
"""

from typing import Any

from homestack import Stack, tier
from homestack.kit import Catalog, auth, ingress, raw

stack = Stack("reverse-proxy", tier=tier.EDGE, needs=["traefik", "authentik"],
              description="Ingress to Services outside the cluster")

HTTPS = {"traefik.ingress.kubernetes.io/service.serversscheme": "https",
         "traefik.ingress.kubernetes.io/service.serverstransport":
             "reverse-proxy-insecure@kubernetescrd"}


class Outside:
    """A Service in front of an address outside the cluster; an ingress backend."""

    def __init__(self, name: str, address: str, port: int, *, https: bool = False) -> None:
        self.name = self.service = name
        self.port = port
        # Only when there are some: the API server drops an empty map, so `annotations: {}`
        # would never be found on the live object.
        notes = {"annotations": HTTPS} if https else {}
        ports = [{"name": "http", "port": port, "targetPort": port, "protocol": "TCP"}]
        if address[0].isdigit():
            raw(stack, [
                {"apiVersion": "v1", "kind": "Service",
                 "metadata": {"name": name, **notes}, "spec": {"ports": ports}},
                {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                 "metadata": {"name": f"{name}-1",
                              "labels": {"kubernetes.io/service-name": name}},
                 "addressType": "IPv4",
                 "ports": [{"name": "http", "port": port, "protocol": "TCP"}],
                 "endpoints": [{"addresses": [address], "conditions": {"ready": True}}]},
            ], name=name)
        else:
            spec: dict[str, Any] = {"type": "ExternalName", "externalName": address,
                                    "ports": ports}
            raw(stack, {"apiVersion": "v1", "kind": "Service",
                        "metadata": {"name": name, **notes}, "spec": spec})


raw(stack, {
    "apiVersion": "traefik.io/v1alpha1",
    "kind": "ServersTransport",
    "metadata": {"name": "insecure"},
    # The PVE host and pfSense present self-signed certificates on the LAN.
    "spec": {"insecureSkipVerify": True},
})

pve = Outside("pve", "192.168.1.127", 8006, https=True)
ingress(stack, pve, host="pve.home.arpa", auth=auth.required(groups=["admins"]),
        lan_only=True, max_body_size="8Gi",
        catalog=Catalog(name="Proxmox VE", group="Infrastructure", icon="proxmox.png",
                        description="The PVE host: VMs, storage and backups"))
pfsense = Outside("pfsense", "10.0.10.1", 443, https=True)
ingress(stack, pfsense, host="pfsense.home.arpa", auth=auth.required(groups=["admins"]),
        lan_only=True,
        catalog=Catalog(name="pfSense", group="Infrastructure", icon="pfsense.png",
                        description="Firewall and router between the VLANs"))
home = Outside("home-assistant", "192.168.1.20", 8123)
ingress(stack, home, host="home",
        auth=auth.app("Home Assistant has its own login with MFA; the mobile app needs it"),
        anti_ai=False,
        catalog=Catalog(name="Home Assistant", group="Home", icon="home-assistant.png",
                        description="Home automation"), external_monitor=True)
nas = Outside("nas", "nas.offsite.home.arpa", 5001, https=True)
ingress(stack, nas, host="nas.home.arpa", auth=auth.required(groups=["admins"]),
        catalog=Catalog(name="Offsite NAS", group="Infrastructure", icon="synology.png",
                        description="Third backup copy, reached over the VPN"))
