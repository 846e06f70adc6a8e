"""Shared Redis with Sentinel: one primary on an encrypted volume, two replicas, three sentinels.

Authentik, Immich and Nextcloud keep sessions and queues here; clients ask the sentinels for the
current primary, so a failover needs no config change.
"""

from homestack import Stack, tier
from homestack.kit import (
    Pdb,
    block_volume,
    deployment,
    empty_dir,
    stack_ref,
    statefulset,
    tcp_probe,
    vault_secret,
)

stack = Stack("redis", tier=tier.CLUSTER, needs=["platform", "proxmox-csi"],
              description="Shared Redis with Sentinel")
REDIS = stack_ref("redis").service("redis")
IMAGE = "docker.io/library/redis:7.4.1"
password = vault_secret(stack, "password")

data = block_volume(stack, "data", size="4Gi")
statefulset(
    stack, "redis", image=IMAGE, memory="512Mi", cpu="100m", port=6379,
    command=["redis-server"],
    args=["--appendonly", "yes", "--requirepass", "$(REDIS_PASSWORD)",
          "--masterauth", "$(REDIS_PASSWORD)", "--maxmemory", "400mb"],
    env={"REDIS_PASSWORD": password}, mounts={"/data": data}, probes=tcp_probe(),
)
statefulset(
    stack, "redis-replica", image=IMAGE, replicas=2, memory="512Mi", cpu="50m", port=6379,
    command=["redis-server"],
    args=["--replicaof", REDIS.pod(0), "6379",
          "--requirepass", "$(REDIS_PASSWORD)", "--masterauth", "$(REDIS_PASSWORD)",
          "--maxmemory", "400mb"],
    env={"REDIS_PASSWORD": password}, mounts={"/data": empty_dir("data", size_limit="1Gi")},
    probes=tcp_probe(),
)
deployment(
    stack, "sentinel", image=IMAGE, replicas=3, memory="64Mi", cpu="20m", port=26379,
    command=["/bin/sh", "-c"],
    args=["printf 'port 26379\\nsentinel resolve-hostnames yes\\n"
          f"sentinel monitor primary {REDIS.pod(0)} 6379 2\\n"
          "sentinel auth-pass primary %s\\nsentinel down-after-milliseconds primary 5000\\n' "
          "\"$REDIS_PASSWORD\" > /tmp/sentinel.conf && exec redis-sentinel /tmp/sentinel.conf"],
    env={"REDIS_PASSWORD": password}, pdb=Pdb(max_unavailable=1), probes=tcp_probe(),
)
