"""A TURN server: signalling on its ClusterIP Service, relay ports only on the LoadBalancer, a
headless Service for peers, other Stacks' Services by handle, and rules in another namespace."""

from homestack import Stack, tier
from homestack.kit import (
    READ,
    Port,
    deployment,
    load_balancer,
    rule,
    service,
    service_account,
    stack_ref,
)

stack = Stack("turn", tier=tier.EDGE, needs=["traefik"], description="TURN relay for calls")
traefik = stack_ref("traefik").service("traefik", port=443, scheme="https")
RELAYS = {f"relay-{n}": Port(49160 + n, protocol="udp", cluster=False) for n in range(4)}
account = service_account(
    stack, "coturn", namespace_rules={"traefik": [rule([""], ["configmaps"], READ)]},
    reason="reads the TLS options Traefik publishes as a ConfigMap",
)
coturn = deployment(
    stack, "coturn", image="docker.io/coturn/coturn:4.6.2", memory="128Mi", cpu="50m",
    ports={"turn": Port(3478, protocol="udp"), "admin": Port(9641, service=80), **RELAYS},
    env={"EDGE_URL": traefik.url}, service_account=account,
)
load_balancer(stack, coturn, ports={"turn": "3478/udp",
                                    **{name: port.number for name, port in RELAYS.items()}})
service(stack, coturn, name="coturn-peers", type="Headless", ports={"turn": 3478})
