"""LoadBalancer Services: DNS on the shared IP (ETP Cluster), Traefik on its dedicated IP."""

from homestack import Stack, tier
from homestack.kit import deployment, load_balancer, namespace

stack = Stack("edge", tier=tier.CORE)
namespace(stack, labels={"homestack.dev/no-quota": "true"})
dns = deployment(stack, "dns", image="docker.io/technitium/dns-server:13.2", memory="256Mi",
                 cpu="100m", ports={"dns": "53/udp", "dns-tcp": 53, "web": 5380}, critical=True)
load_balancer(stack, dns, ports={"dns": "53/udp", "dns-tcp": 53})
proxy = deployment(stack, "traefik", image="docker.io/library/traefik:v3.2.1", memory="256Mi",
                   cpu="200m", replicas=3, ports={"websecure": 8443})
load_balancer(stack, proxy, ports={"websecure": 443}, dedicated="traefik")
