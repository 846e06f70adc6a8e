"""Tables the OpenAPI documents do not carry: the enumerations the real server's Go
validation enforces, and the associative lists whose duplicate keys it refuses on
ordinary (non-apply) writes. Keys are (Go type name, JSON field)."""

from __future__ import annotations

PROTOCOLS = ("SCTP", "TCP", "UDP")
TAINT_EFFECTS = ("NoExecute", "NoSchedule", "PreferNoSchedule")

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Container", "imagePullPolicy"): ("Always", "IfNotPresent", "Never"),
    ("Container", "terminationMessagePolicy"): ("FallbackToLogsOnError", "File"),
    ("PodSpec", "restartPolicy"): ("Always", "Never", "OnFailure"),
    ("PodSpec", "dnsPolicy"): ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"),
    ("PodSpec", "preemptionPolicy"): ("Never", "PreemptLowerPriority"),
    ("ContainerPort", "protocol"): PROTOCOLS,
    ("ServicePort", "protocol"): PROTOCOLS,
    ("EndpointPort", "protocol"): PROTOCOLS,
    ("NetworkPolicyPort", "protocol"): PROTOCOLS,
    ("ServiceSpec", "type"): ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"),
    ("ServiceSpec", "sessionAffinity"): ("ClientIP", "None"),
    ("ServiceSpec", "externalTrafficPolicy"): ("Cluster", "Local"),
    ("ServiceSpec", "internalTrafficPolicy"): ("Cluster", "Local"),
    ("ServiceSpec", "ipFamilyPolicy"): ("PreferDualStack", "RequireDualStack", "SingleStack"),
    ("ServiceSpec", "ipFamilies"): ("IPv4", "IPv6"),
    ("PersistentVolumeClaimSpec", "accessModes"):
        ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"),
    ("PersistentVolumeSpec", "accessModes"):
        ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"),
    ("PersistentVolumeClaimSpec", "volumeMode"): ("Block", "Filesystem"),
    ("PersistentVolumeSpec", "volumeMode"): ("Block", "Filesystem"),
    ("PersistentVolumeSpec", "persistentVolumeReclaimPolicy"): ("Delete", "Recycle", "Retain"),
    ("DeploymentStrategy", "type"): ("Recreate", "RollingUpdate"),
    ("StatefulSetUpdateStrategy", "type"): ("OnDelete", "RollingUpdate"),
    ("DaemonSetUpdateStrategy", "type"): ("OnDelete", "RollingUpdate"),
    ("StatefulSetSpec", "podManagementPolicy"): ("OrderedReady", "Parallel"),
    ("StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted"): ("Delete", "Retain"),
    ("StatefulSetPersistentVolumeClaimRetentionPolicy", "whenScaled"): ("Delete", "Retain"),
    ("CronJobSpec", "concurrencyPolicy"): ("Allow", "Forbid", "Replace"),
    ("JobSpec", "completionMode"): ("Indexed", "NonIndexed"),
    ("JobSpec", "podReplacementPolicy"): ("Failed", "TerminatingOrFailed"),
    ("HTTPGetAction", "scheme"): ("HTTP", "HTTPS"),
    ("NetworkPolicySpec", "policyTypes"): ("Egress", "Ingress"),
    ("HTTPIngressPath", "pathType"): ("Exact", "ImplementationSpecific", "Prefix"),
    ("StorageClass", "reclaimPolicy"): ("Delete", "Retain"),
    ("StorageClass", "volumeBindingMode"): ("Immediate", "WaitForFirstConsumer"),
    ("PriorityClass", "preemptionPolicy"): ("Never", "PreemptLowerPriority"),
    ("Toleration", "operator"): ("Equal", "Exists"),
    ("Toleration", "effect"): TAINT_EFFECTS,
    ("Taint", "effect"): TAINT_EFFECTS,
    ("LabelSelectorRequirement", "operator"): ("DoesNotExist", "Exists", "In", "NotIn"),
    ("NodeSelectorRequirement", "operator"): ("DoesNotExist", "Exists", "Gt", "In", "Lt",
                                              "NotIn"),
    ("HostPathVolumeSource", "type"): ("", "BlockDevice", "CharDevice", "Directory",
                                       "DirectoryOrCreate", "File", "FileOrCreate", "Socket"),
    ("CustomResourceDefinitionSpec", "scope"): ("Cluster", "Namespaced"),
}

# Lists whose items must have distinct keys on every write (the Go validation refuses a
# duplicate even without server-side apply). (type, field) -> the key field.
UNIQUE_KEYS: dict[tuple[str, str], str] = {
    ("PodSpec", "containers"): "name",
    ("PodSpec", "initContainers"): "name",
    ("PodSpec", "volumes"): "name",
    ("PodSpec", "imagePullSecrets"): "name",
    ("ServiceSpec", "ports"): "name",
    ("Container", "ports"): "name",
    ("Container", "volumeMounts"): "mountPath",
    ("StatefulSetSpec", "volumeClaimTemplates"): "metadata.name",
    ("ConfigMapVolumeSource", "items"): "path",
    ("SecretVolumeSource", "items"): "path",
}

# Lists where the real server only warns about a duplicate on ordinary writes.
WARN_DUPLICATES: dict[tuple[str, str], str] = {
    ("Container", "env"): "name",
}
