"""Mosquitto: the MQTT broker for Home Assistant and the sensors, over TLS on the shared LB IP.

It terminates TLS with the namespace's wildcard copy, which needs no ingress: ``tls(stack)``
declares it on its own.
"""

from homestack import Stack, tier
from homestack.kit import (
    block_volume,
    external_secret,
    load_balancer,
    mount,
    secret_files,
    statefulset,
    tcp_probe,
    tls,
)

stack = Stack("mqtt", tier=tier.EDGE, needs=["metallb", "external-secrets"],
              description="MQTT broker for home automation")
certificate = tls(stack)

users = external_secret(stack, "mosquitto-users", {"passwd": "secret/mqtt#passwd"})
data = block_volume(stack, "data", size="1Gi", sensitive=False)
broker = statefulset(
    stack, "mosquitto", image="docker.io/library/eclipse-mosquitto:2.0.20", memory="64Mi",
    cpu="20m", ports={"mqtts": 8883},
    command=["/bin/sh", "-c"],
    args=["printf 'listener 8883\ncertfile /mosquitto/tls/tls.crt\nkeyfile /mosquitto/tls/tls.key\n"
          "password_file /mosquitto/auth/passwd\npersistence true\n"
          "persistence_location /mosquitto/data/\n' > /tmp/m.conf && "
          "exec mosquitto -c /tmp/m.conf"],
    mounts={"/mosquitto/data": data, "/mosquitto/auth": mount(users, read_only=True),
            "/mosquitto/tls": mount(secret_files(certificate.name), read_only=True)},
    probes=tcp_probe(),
)
load_balancer(stack, broker)
