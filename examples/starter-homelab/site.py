"""The starter homelab: its domains, where it runs, its storage and the people
who use it. Stacks live under stacks/<name>/stack.py."""

from homestack import (
    Cluster,
    Domains,
    Group,
    Identity,
    Role,
    Site,
    StorageClass,
    User,
)

site = Site(
    name="starter",
    domains=Domains(public="example.org", internal="home.arpa"),
    cluster=Cluster(),  # the kubeconfig's current context
    storage_classes=(StorageClass(name="local-path", implicit_default=True),),
    identity=Identity(
        users=(User(name="admin", role=Role.ADMIN, email="admin@example.org"),),
        groups=(Group(name="admins", members=("admin",)),),
    ),
    trusted_registries=("docker.io", "ghcr.io", "quay.io", "registry.k8s.io"),
)
