"""Internal DNS on the shared LB IP, one resolver pod per node, with a MySQL-backed log."""

from homestack import Stack, tier
from homestack.kit import daemonset, load_balancer, mysql_database

stack = Stack("technitium", tier=tier.CORE, description="Internal DNS")
logs = mysql_database(stack, "dnslogs")
dns = daemonset(stack, "dns", image="docker.io/technitium/dns-server:13.2", memory="256Mi",
                cpu="100m", ports={"dns": "53/udp", "dns-tcp": 53, "web": 5380},
                env={"LOG_DB_HOST": logs.host, "LOG_DB_PASSWORD": logs.password})
load_balancer(stack, dns, ports={"dns": "53/udp", "dns-tcp": 53})
