"""Tuya bridge: a small API over the Tuya cloud for the smart plugs and the heater.

Home Assistant and shortcuts call it with an API key, so the ingress has no forward-auth. A
CronJob polls the sauna controller every half hour.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    config_files,
    cronjob,
    deployment,
    external_secret,
    http_probe,
    ingress,
)

stack = Stack("tuya-bridge", tier=tier.CLUSTER, needs=["platform", "vault"],
              description="API over the Tuya smart devices")
secrets = external_secret(stack, "tuya-bridge-env", {
    "TUYA_ACCESS_ID": "secret/tuya-bridge#access_id",
    "TUYA_ACCESS_SECRET": "secret/tuya-bridge#access_secret",
    "SERVICE_API_KEY": "secret/tuya-bridge#service_api_key",
})
bridge = deployment(stack, "tuya-bridge", image="registry.home.arpa/homelab/tuya-bridge:0.5.1",
                    memory="128Mi", cpu="10m", port=8080, env={"TUYA_REGION": "eu"},
                    env_from=[secrets], probes=http_probe("/health"), backend_kind="api")
ingress(stack, bridge, host="tuya", dns="proxied",
        auth=auth.none("Callers send the service API key; the bridge checks it"),
        catalog=Catalog(name="Tuya bridge", group="Home", description="Smart plugs and heater"))
poller = config_files(stack, "saksii-poller-script", {
    "poll.sh": "#!/bin/sh\nset -eu\ncurl -sf -H \"X-API-Key: $SERVICE_API_KEY\" "
               f"{bridge.url}/devices/sauna/poll\n"})
cronjob(stack, "saksii-poller", schedule="*/30 * * * *",
        image="docker.io/curlimages/curl:8.11.0", memory="32Mi", cpu="5m",
        command=["/bin/sh", "/scripts/poll.sh"], mounts={"/scripts": poller},
        env={"SERVICE_API_KEY": secrets["SERVICE_API_KEY"]})
