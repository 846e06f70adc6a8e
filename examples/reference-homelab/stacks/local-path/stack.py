"""local-path provisioner: node-local volumes for the cluster default StorageClass.

Nothing relies on it implicitly (policy asks every claim for an explicit storageClassName);
it is there for scratch space that needs no backup.
"""

from homestack import Stack
from homestack.kit import READ, config_files, deployment, raw, rule, service_account

stack = Stack("local-path", namespace="local-path-storage", owns_namespace=True,
              needs=["platform"], description="Node-local scratch volumes")
config = config_files(stack, "local-path-config", {
    "config.json": '{"nodePathMap": [{"node": "DEFAULT_PATH_FOR_NON_LISTED_NODES", '
                   '"paths": ["/opt/local-path-provisioner"]}]}',
    "setup": "#!/bin/sh\nset -eu\nmkdir -m 0777 -p \"$VOL_DIR\"\n",
    "teardown": "#!/bin/sh\nset -eu\nrm -rf \"$VOL_DIR\"\n",
    "helperPod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: helper-pod\nspec:\n"
                      "  containers:\n  - name: helper-pod\n    image: docker.io/library/"
                      "busybox:1.37.0\n",
})
provisioner = service_account(
    stack, "local-path-provisioner",
    rules=[rule([""], ["pods"], ["get", "list", "watch", "create", "delete"])],
    cluster_rules=[rule([""], ["nodes", "persistentvolumeclaims", "configmaps", "pods"], READ),
                   rule([""], ["persistentvolumes"],
                        ["get", "list", "watch", "create", "patch", "update", "delete"]),
                   rule([""], ["events"], ["create", "patch"]),
                   rule(["storage.k8s.io"], ["storageclasses"], READ)],
    reason="A provisioner creates and deletes PersistentVolumes for the whole cluster",
)
deployment(stack, "local-path-provisioner",
           image="docker.io/rancher/local-path-provisioner:v0.0.31", memory="64Mi", cpu="10m",
           command=["local-path-provisioner", "--debug", "start", "--config",
                    "/etc/config/config.json"],
           env={"POD_NAMESPACE": "local-path-storage"}, service_account=provisioner,
           mounts={"/etc/config": config})
raw(stack, {
    "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
    "metadata": {"name": "local-path",
                 "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
    "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
    "volumeBindingMode": "WaitForFirstConsumer",
}, name="storage-class")
