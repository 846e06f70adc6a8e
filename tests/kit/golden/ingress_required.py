"""Forward-auth for a group, LAN-only, custom CSP, body cap, extras, no rate limit."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("grafana", tier=tier.CLUSTER)
grafana = deployment(stack, "grafana", image="docker.io/grafana/grafana:11.3.1", port=3000,
                     memory="256Mi", cpu="100m")
ingress(stack, grafana, host="grafana", auth=auth.required(groups=["family"]), dns="internal",
        lan_only=True, csp="default-src 'self'", max_body_size="10Mi", rate_limit=False,
        middlewares=["crowdsec/bouncer", "compress"],
        catalog=Catalog(name="Grafana", group="Monitoring", icon="grafana.png",
                        description="Dashboards"), external_monitor=True)
