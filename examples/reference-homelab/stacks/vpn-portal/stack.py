"""VPN portal: self-service VPN profiles (Xray, WireGuard) for the family's devices.

The portal is behind forward-auth; the subscription path is carved out, since VPN client
apps fetch it with the token in the URL.
"""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress, vault_secret

stack = Stack("vpn-portal", tier=tier.AUX, needs=["platform", "vault", "xray", "authentik"],
              description="VPN profiles for devices")
portal = deployment(stack, "vpn-portal", image="registry.home.arpa/homelab/vpn-portal:1.3.0",
                    memory="128Mi", memory_request="64Mi", cpu="10m", port=3000,
                    env={"SUBSCRIPTION_SECRET": vault_secret(stack, "subscription_secret"),
                         "XRAY_HOST": "xray-ws.example.org"})
ingress(stack, portal, host="vpn-portal", dns="proxied", auth=auth.required(groups=["family"]),
        carve_outs={"/sub": auth.none("VPN apps fetch profiles with the token in the URL")},
        catalog=Catalog(name="VPN portal", group="Infrastructure",
                        description="VPN profiles for your devices"))
