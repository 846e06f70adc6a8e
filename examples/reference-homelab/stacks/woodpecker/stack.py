"""Woodpecker CI: runs pipelines for Forgejo repositories; deploys with kubectl set image.

The server receives Forgejo webhooks (signed), so its ingress has no forward-auth; agents run
pipeline steps as pods in this namespace.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    ingress,
    postgres_database,
    raw,
    stack_ref,
    vault_secret,
)

stack = Stack("woodpecker", tier=tier.EDGE, needs=["forgejo"], description="CI/CD pipelines")
WOODPECKER_SERVER = stack_ref("woodpecker").service("server", port=9000)
db = postgres_database(stack, "woodpecker")
agent_secret = vault_secret(stack, "agent_secret")
server = deployment(
    stack, "server", image="docker.io/woodpeckerci/woodpecker-server:v2.8.1", memory="256Mi",
    cpu="50m", ports={"http": 8000, "grpc": 9000},
    env={"WOODPECKER_HOST": "https://ci.example.org", "WOODPECKER_FORGEJO": True,
         "WOODPECKER_FORGEJO_URL": "https://git.example.org",
         "WOODPECKER_FORGEJO_CLIENT": "woodpecker",
         "WOODPECKER_FORGEJO_SECRET": vault_secret(stack, "forgejo_oauth_secret"),
         "WOODPECKER_DATABASE_DRIVER": "postgres",
         "WOODPECKER_DATABASE_PASSWORD": db.password,
         "WOODPECKER_DATABASE_DATASOURCE":
             f"postgres://{db.user}@{db.host}:{db.port}/{db.database}?sslmode=disable",
         "WOODPECKER_AGENT_SECRET": agent_secret, "WOODPECKER_ADMIN": "alex"},
)
deployment(
    stack, "agent", image="docker.io/woodpeckerci/woodpecker-agent:v2.8.1", replicas=2,
    memory="128Mi", cpu="50m",
    env={"WOODPECKER_SERVER": WOODPECKER_SERVER.address,
         "WOODPECKER_BACKEND": "kubernetes", "WOODPECKER_BACKEND_K8S_NAMESPACE": "woodpecker",
         "WOODPECKER_AGENT_SECRET": agent_secret, "WOODPECKER_MAX_WORKFLOWS": "2"},
)
ingress(stack, server, host="ci",
        auth=auth.none("Forgejo webhooks (signed) and OAuth login through Forgejo"),
        dns="non-proxied",
        catalog=Catalog(name="Woodpecker", group="Development", icon="woodpecker.png",
                        description="Pipelines for the Forgejo repositories"))
raw(stack, [
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
     "metadata": {"name": "pipeline-runner"},
     "rules": [{"apiGroups": [""], "resources": ["pods", "pods/log", "persistentvolumeclaims",
                                                  "services", "secrets"],
                "verbs": ["create", "delete", "get", "list", "watch"]}]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
     "metadata": {"name": "pipeline-runner"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                 "name": "pipeline-runner"},
     "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "woodpecker"}]},
], name="rbac")
