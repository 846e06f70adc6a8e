"""Cluster housekeeping in the default namespace: weekly etcd snapshot and defrag, failed pods.

The etcd jobs talk to the control plane's etcd with a client certificate from Vault (the
seeds mounted the node's certificate directory; the kit mounts no host paths) and keep the
snapshots on NFS. A nightly job deletes pods stuck in Failed.
"""

from homestack import Stack
from homestack.kit import cronjob, external_secret, nfs_volume, rule, service_account

stack = Stack("infra-maintenance", namespace="default", needs=["infra", "external-secrets"],
              description="etcd backups and cluster housekeeping")
ETCD = "registry.k8s.io/etcd:3.5.21-0"
ENDPOINT = "https://10.0.20.100:2379"
backups = nfs_volume(stack, "etcd-backup", export="/srv/nfs/etcd-backup", size="20Gi")
certs = external_secret(stack, "etcd-client", {
    "ca.crt": "secret/infra-maintenance#etcd_ca",
    "client.crt": "secret/infra-maintenance#etcd_client_cert",
    "client.key": "secret/infra-maintenance#etcd_client_key",
})
TLS = ["--endpoints", ENDPOINT, "--cacert", "/certs/ca.crt", "--cert", "/certs/client.crt",
       "--key", "/certs/client.key"]
cronjob(stack, "backup-etcd", schedule="0 1 * * 0", image=ETCD, memory="256Mi", cpu="100m",
        command=["/bin/sh", "-c"],
        args=["etcdctl " + " ".join(TLS) + " snapshot save /backup/etcd-$(date +%F).db && "
              "find /backup -name 'etcd-*.db' -mtime +28 -delete"],
        env={"ETCDCTL_API": "3"}, mounts={"/backup": backups, "/certs": certs})
cronjob(stack, "defrag-etcd", schedule="0 3 * * 0", image=ETCD, memory="128Mi", cpu="50m",
        command=["etcdctl"], args=[*TLS, "defrag", "--cluster"], env={"ETCDCTL_API": "3"},
        mounts={"/certs": certs})
cleaner = service_account(
    stack, "failed-pod-cleanup",
    cluster_rules=[rule([""], ["pods"], ["list", "delete"])],
    reason="Deletes pods in phase Failed in every namespace",
)
cronjob(stack, "cleanup-failed-pods", schedule="0 2 * * *",
        image="registry.k8s.io/kubectl:v1.34.0", memory="64Mi", cpu="10m",
        service_account=cleaner,
        args=["delete", "pods", "--all-namespaces", "--field-selector=status.phase=Failed"])
