"""Monitoring: Prometheus, Alertmanager, Grafana, Loki, and the collectors that feed them.

Node exporter runs on every node's host network (the namespace is exempt for that); Alloy tails
pod logs through the Kubernetes API into Loki. Prometheus keeps 15 days on a plain block volume;
Loki's chunks live on NFS. Grafana logs in through Authentik.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    Security,
    auth,
    block_volume,
    config_map,
    daemonset,
    deployment,
    empty_dir,
    http_probe,
    ingress,
    nfs_volume,
    raw,
    statefulset,
    vault_secret,
)

stack = Stack("monitoring", tier=tier.CLUSTER, needs=["platform", "proxmox-csi", "nfs-csi",
                                                         "traefik"],
              description="Metrics, logs, dashboards and alerts")

raw(stack, "config.yaml")
raw(stack, "rbac.yaml")

tsdb = block_volume(stack, "prometheus", size="50Gi", sensitive=False, storage_limit="120Gi")
prometheus = statefulset(
    stack, "prometheus", image="quay.io/prometheus/prometheus:v2.55.1", memory="1536Mi",
    cpu="300m", port=9090,
    args=["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus",
          "--storage.tsdb.retention.time=15d", "--web.enable-lifecycle"],
    mounts={"/prometheus": tsdb, "/etc/prometheus": config_map("prometheus-config")},
    probes=http_probe("/-/ready"),
    security=Security(run_as_user=65534, fs_group=65534, run_as_non_root=True),
)
alertmanager = statefulset(
    stack, "alertmanager", image="quay.io/prometheus/alertmanager:v0.27.0", memory="128Mi",
    cpu="20m", port=9093,
    args=["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"],
    mounts={"/alertmanager": empty_dir("alertmanager", size_limit="512Mi"),
            "/etc/alertmanager": config_map("alertmanager-config")},
    env={"NTFY_TOKEN": vault_secret(stack, "ntfy_token")},
    probes=http_probe("/-/ready"),
)
chunks = nfs_volume(stack, "loki", export="/srv/nfs/loki", size="100Gi")
statefulset(
    stack, "loki", image="docker.io/grafana/loki:3.3.0", memory="512Mi", cpu="200m",
    ports={"http": 3100, "grpc": 9095}, args=["-config.file=/etc/loki/loki.yaml"],
    mounts={"/loki": chunks, "/etc/loki": config_map("loki-config")},
    probes=http_probe("/ready"),
)
deployment(
    stack, "alloy", image="docker.io/grafana/alloy:v1.5.0", memory="256Mi", cpu="100m",
    port=12345, args=["run", "/etc/alloy/config.alloy", "--server.http.listen-addr=0.0.0.0:12345"],
    mounts={"/etc/alloy": config_map("alloy-config")},
)
daemonset(
    stack, "node-exporter", image="quay.io/prometheus/node-exporter:v1.8.2", memory="64Mi",
    cpu="20m", port=9100, args=["--path.rootfs=/host", "--web.listen-address=:9100"],
    security=Security(host_network=True, run_as_non_root=True, run_as_user=65534),
)
deployment(
    stack, "kube-state-metrics",
    image="registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.14.0", memory="128Mi",
    cpu="20m", ports={"http": 8080, "telemetry": 8081}, probes=http_probe("/healthz"),
)

dashboards = block_volume(stack, "grafana", size="2Gi")
grafana = deployment(
    stack, "grafana", image="docker.io/grafana/grafana:11.3.1", memory="384Mi", cpu="100m",
    port=3000,
    mounts={"/var/lib/grafana": dashboards,
            "/etc/grafana/provisioning/datasources": config_map("grafana-datasources")},
    env={"GF_SERVER_ROOT_URL": "https://grafana.example.org",
         "GF_AUTH_GENERIC_OAUTH_ENABLED": True,
         "GF_AUTH_GENERIC_OAUTH_NAME": "Authentik",
         "GF_AUTH_GENERIC_OAUTH_CLIENT_ID": "grafana",
         "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET": vault_secret(stack, "oauth_client_secret"),
         "GF_AUTH_GENERIC_OAUTH_AUTH_URL": "https://auth.example.org/application/o/authorize/",
         "GF_AUTH_GENERIC_OAUTH_TOKEN_URL": "https://auth.example.org/application/o/token/",
         "GF_AUTH_GENERIC_OAUTH_API_URL": "https://auth.example.org/application/o/userinfo/",
         "GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH":
             "contains(groups, 'admins') && 'Admin' || 'Viewer'"},
    probes=http_probe("/api/health"),
)
ingress(stack, grafana, host="grafana",
        auth=auth.app("Grafana logs in through Authentik OIDC and maps groups to roles"),
        csp="default-src 'self'; script-src 'self' 'unsafe-eval' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: https:",
        catalog=Catalog(name="Grafana", group="Observability", icon="grafana.png",
                        description="Dashboards for the cluster, the PVE host and every Service"))
for backend, what in ((prometheus, "Metrics and alert rules"),
                      (alertmanager, "Firing alerts and silences")):
    ingress(stack, backend, host=f"{backend.name}.home.arpa",
            auth=auth.none("Internal domain only: LAN and VPN clients, nothing published"),
            catalog=Catalog(name=backend.name.title(), group="Observability",
                            icon=f"{backend.name}.png", description=what))
