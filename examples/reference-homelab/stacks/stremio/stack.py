"""Stremio: the streaming server with NVENC transcoding on the GPU, and a metadata proxy.

Players log in with Stremio accounts and cannot do forward-auth, so both hosts are open: the
server on non-proxied DNS (video through Cloudflare breaks its terms), the Cinemeta proxy
behind Cloudflare's cache.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    config_files,
    deployment,
    external_secret,
    ingress,
)

stack = Stack("stremio", tier=tier.GPU, needs=["platform", "nvidia"],
              description="Streaming server")
secrets = external_secret(stack, "stremio-env", data_from=["secret/stremio"])
server = deployment(
    stack, "stremio", image="registry.home.arpa/homelab/stremio-nvenc:4.20.8", memory="2Gi",
    cpu="250m", gpu=1, port=8080, env={"NO_CORS": "1", "CASTING_DISABLED": "1"},
    env_from=[secrets],
)
ingress(stack, server, host="stremio", dns="non-proxied",
        auth=auth.none("Players sign in with Stremio accounts; the server checks its own key"),
        catalog=Catalog(name="Stremio", group="Media", icon="stremio.png",
                        description="Streaming server with GPU transcoding"))
nginx_conf = config_files(stack, "nginx-conf", {
    "default.conf": "server {\n  listen 8080;\n  location / {\n"
                    "    proxy_pass https://v3-cinemeta.strem.io;\n"
                    "    proxy_cache_valid 200 1h;\n  }\n}\n"})
proxy = deployment(stack, "cinemeta-proxy", image="docker.io/library/nginx:1.27.3-alpine",
                   memory="64Mi", cpu="10m", port=8080,
                   mounts={"/etc/nginx/conf.d": nginx_conf})
ingress(stack, proxy, name="cinemeta", host="cinemeta", dns="proxied",
        auth=auth.none("Public movie metadata, cached; clients send no credentials"),
        catalog=Catalog(hidden=True))
