"""A music server as the seeds declared it: Service port 80 before container port 4533, a lower
memory request, Recreate, probe timings, pod annotations, env from a Secret and a ConfigMap,
an existing claim and a second NAS, a parked worker (replicas=0) and an HPA-scaled one."""

from homestack import Stack, tier
from homestack.kit import (
    claim,
    config_map,
    deployment,
    external_secret,
    http_probe,
    nfs_volume,
    secret_files,
    tcp_probe,
)

stack = Stack("music", tier=tier.AUX)
music = nfs_volume(stack, "music", export="/volume1/music", size="500Gi", server="10.0.10.20")
creds = external_secret(stack, "lastfm", {"LASTFM_APIKEY": "secret/music#lastfm_key"})
server = deployment(
    stack, "navidrome", image="docker.io/deluan/navidrome:0.53.3", port=4533, service_port=80,
    memory="512Mi", memory_request="128Mi", cpu="50m", strategy="Recreate",
    pod_annotations={"diun.enable": "true"}, pod_labels={"backup": "nightly"},
    env_from=[creds, (config_map("navidrome-settings"), "ND_")],
    mounts={"/music": music, "/data": claim("navidrome-data")},
    probes=[http_probe("/ping", roles=["readiness"], initial_delay=10, timeout=5, period=30,
                       failure_threshold=5),
            tcp_probe(roles=["startup"], failure_threshold=30)],
)
deployment(stack, "scanner", image="docker.io/deluan/navidrome:0.53.3", replicas=0,
           memory="256Mi", cpu="10m", env_from=[secret_files("scanner-env")],
           env={"ND_SERVER_URL": server.url})
deployment(stack, "transcoder", image="ghcr.io/acme/transcoder:2.0.1", replicas=2,
           memory="1Gi", cpu="200m", autoscaler="hpa",
           owned_elsewhere=['metadata.annotations["deployment.kubernetes.io/revision"]'])
