"""A TURN server: signalling on the ClusterIP Service, relay ports only on the LoadBalancer,
an extra headless Service, and handles for other Stacks' Services instead of DNS names."""

from homestack import Stack, tier
from homestack.kit import Port, deployment, load_balancer, service, stack_ref

stack = Stack("turn", tier=tier.EDGE)
redis = stack_ref("redis").service("redis", port=6379)
postgres = stack_ref("dbaas").service("pg-shared-rw", port=5432, scheme="postgres")
relays = {f"relay-{n}": Port(49160 + n, protocol="udp", cluster=False) for n in range(3)}
coturn = deployment(
    stack, "coturn", image="docker.io/coturn/coturn:4.6.2", memory="128Mi", cpu="50m",
    ports={"turn": Port(3478, protocol="udp"), "admin": Port(9641, service=80), **relays},
    env={"REDIS_HOST": redis.host, "REDIS_URL": redis.url, "DATABASE_URL": postgres.url,
         "PRIMARY": stack_ref("redis").service("redis").pod(0)},
)
load_balancer(stack, coturn, ports={"turn": "3478/udp", **{k: 49160 + n for n, k in
                                                           enumerate(relays)}})
service(stack, coturn, name="coturn-peers", type="Headless", ports={"turn": 3478},
        annotations={"service.kubernetes.io/topology-mode": "Auto"})
service(stack, coturn, name="coturn-admin", type="NodePort", ports={"admin": 80})
