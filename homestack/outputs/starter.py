"""The files ``homestack init`` writes: a Site, the platform Stacks to start from, the ignore
file and a README for the new homelab. Pure: the caller writes them.

Platforms:

- ``minimal``: the ``platform`` Stack (it owns the tier PriorityClasses, so Stacks added later
  never move them) and Traefik with its CRDs. Nothing needs Vault, External Secrets or an
  identity provider: ``homestack new`` then writes Stacks that serve the ingress controller's
  own certificate, keep their passwords in ``cluster_secret``s and run their own Postgres.
- ``none``: the Site alone.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from homestack.model import ModelError

NAME = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
TRAEFIK_IMAGE = "docker.io/library/traefik:v3.2.1"
TRAEFIK_CRDS = ("traefik-crds", "https://traefik.github.io/charts", "1.8.1")


class StarterPlatform(enum.Enum):
    """What ``homestack init`` starts the homelab with."""

    MINIMAL = "minimal"
    NONE = "none"


@dataclass(frozen=True)
class Answers:
    """What ``homestack init`` asked (or was given as options)."""

    name: str
    domain: str
    internal_domain: str = "home.arpa"
    context: str | None = None  # None: the kubeconfig's current context
    gitops: bool = False  # True: write to the GitOps repository instead of a cluster
    state_url: str | None = None  # None: SQLite under .homestack/
    storage_class: str = "local-path"
    admin: str = "admin"
    admin_email: str = ""
    platform: StarterPlatform = StarterPlatform.MINIMAL

    def checked(self) -> Answers:
        """Refuse answers the Site would refuse, naming the option."""
        for option, value in (("--name", self.name), ("--admin", self.admin),
                              ("--storage-class", self.storage_class)):
            if not NAME.fullmatch(value):
                raise ModelError(f"{value!r} is not a DNS label", subject=option,
                                 hint="Use lowercase letters, digits and '-'")
        for option, value in (("--domain", self.domain),
                              ("--internal-domain", self.internal_domain)):
            labels = value.split(".")
            if len(value) > 253 or not all(NAME.fullmatch(label) or label.isdigit()
                                           for label in labels) or len(labels) < 2:
                raise ModelError(f"{value!r} is not a domain name", subject=option,
                                 hint="Like example.org")
        if self.state_url is not None:
            parts = urlsplit(self.state_url)
            if parts.scheme not in ("postgres", "postgresql") or not parts.hostname:
                raise ModelError("is not a PostgreSQL URL", subject="--state-url",
                                 hint="Like postgresql://homestack@db.home.arpa/homestack")
            if parts.password:
                raise ModelError("holds a password, which would be committed with site.py",
                                 subject="--state-url",
                                 hint="Leave it out here and set the whole URL in "
                                      "HOMESTACK_STATE_URL where Homestack runs")
        return self


def _q(text: str) -> str:
    return json.dumps(text)


def site_file(answers: Answers) -> str:
    """``site.py``."""
    email = answers.admin_email or f"{answers.admin}@{answers.domain}"
    names = ["Domains", "Group", "Identity", "Role", "Site", "StorageClass", "User"]
    lines = [
        f"    name={_q(answers.name)},",
        f"    domains=Domains(public={_q(answers.domain)}, "
        f"internal={_q(answers.internal_domain)}),",
    ]
    if not answers.gitops:
        names.append("Cluster")
        context = "" if answers.context is None else f"context={_q(answers.context)}"
        comment = "" if context else "  # the kubeconfig's current context"
        lines.append(f"    cluster=Cluster({context}),{comment}")
    if answers.state_url is not None:
        names += ["StateBackend", "StateSettings"]
        lines.append("    # a password goes in HOMESTACK_STATE_URL (the whole URL), never here")
        lines.append(f"    state=StateSettings(backend=StateBackend.POSTGRES, "
                     f"url={_q(answers.state_url)}),")
    lines += [
        f"    storage_classes=(StorageClass(name={_q(answers.storage_class)}, "
        "implicit_default=True),),",
        "    identity=Identity(",
        f"        users=(User(name={_q(answers.admin)}, role=Role.ADMIN, "
        f"email={_q(email)}),),",
        f"        groups=(Group(name=\"admins\", members=({_q(answers.admin)},)),),",
        "    ),",
        '    trusted_registries=("docker.io", "ghcr.io", "quay.io", "registry.k8s.io"),',
    ]
    imports = "".join(f"    {n},\n" for n in sorted(names))
    return (f'"""The {answers.name} homelab: its domains, where it runs, its storage and the '
            'people\nwho use it. Stacks live under stacks/<name>/stack.py."""\n\n'
            f"from homestack import (\n{imports})\n\nsite = Site(\n" + "\n".join(lines)
            + "\n)\n")


PLATFORM_STACK = '''"""The platform: cluster-wide settings every other Stack relies on.

It owns the PriorityClasses of the namespace tiers, so every Stack is applied after it and a
Stack added later never takes them over.
"""

from homestack import Stack, tier
from homestack.kit import namespace

stack = Stack("platform", tier=tier.CLUSTER, description="Namespace tiers and shared settings")
namespace(stack)
'''

TRAEFIK_STACK = f'''"""Traefik: the ingress controller every kit ingress routes through.

One replica serving the ingress controller's own certificate until the homelab has another
source (External Secrets with the wildcard certificate, or cert-manager). Its Service is a
ClusterIP one: give it a LoadBalancer (kit: load_balancer) once the cluster has one.
"""

from homestack import Stack, tier
from homestack.kit import deployment, helm_release, http_probe, raw

stack = Stack("traefik", tier=tier.CORE, description="Ingress controller")
# Traefik's CRDs (Middleware, IngressRoute, ...) from the upstream CRD chart.
helm_release(stack, "traefik-crds", chart={_q(TRAEFIK_CRDS[0])}, repo={_q(TRAEFIK_CRDS[1])},
             version={_q(TRAEFIK_CRDS[2])})
deployment(
    stack, "traefik", image={_q(TRAEFIK_IMAGE)}, memory="128Mi", cpu="100m",
    args=[
        "--entrypoints.web.address=:8000/tcp",
        "--entrypoints.websecure.address=:8443/tcp",
        "--entrypoints.websecure.http.tls=true",
        "--entrypoints.traefik.address=:9000/tcp",
        "--ping=true",
        "--providers.kubernetesingress=true",
        "--providers.kubernetescrd=true",
    ],
    ports={{"web": 8000, "websecure": 8443, "traefik": 9000}},
    probes=http_probe("/ping", port="traefik"),
)
raw(stack, "rbac.yaml")
'''

TRAEFIK_RBAC = '''# The kit's workloads run as their namespace's default ServiceAccount: the
# controller reads the routes and the endpoints through traefik:default. The
# IngressClass names it.
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
spec:
  controller: traefik.io/ingress-controller
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: traefik-controller
rules:
  - apiGroups: [""]
    resources: ["services", "endpoints", "secrets", "nodes"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["discovery.k8s.io"]
    resources: ["endpointslices"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["networking.k8s.io"]
    resources: ["ingresses", "ingressclasses"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["networking.k8s.io"]
    resources: ["ingresses/status"]
    verbs: ["update"]
  - apiGroups: ["traefik.io"]
    resources: ["middlewares", "ingressroutes", "tlsoptions", "tlsstores",
                "serverstransports", "traefikservices"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: traefik-controller
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: traefik-controller
subjects:
  - kind: ServiceAccount
    name: default
    namespace: traefik
'''

GITIGNORE = """# Homestack's run state, chart cache, age identity and GitOps work tree:
# never commit them
.homestack/
"""


def readme(answers: Answers) -> str:
    """The new homelab's README."""
    target = "the GitOps repository under .homestack/gitops" if answers.gitops else (
        f"the cluster of kubeconfig context {answers.context}" if answers.context
        else "the cluster of the kubeconfig's current context")
    return f"""# {answers.name}

A homelab run as code with Homestack: `site.py` describes the estate, each
`stacks/<name>/stack.py` one Service. Applying writes to {target}.

    homestack new web --image docker.io/traefik/whoami:v1.10.3 --port 80
    homestack plan
    homestack apply

`homestack validate` checks everything without contacting anything; `homestack ci pipeline
--woodpecker` (or `--forgejo`, `--github`) writes the CI pipeline. Started from the
`{answers.platform.value}` platform.
"""


def starter_files(answers: Answers) -> dict[str, str]:
    """Relative path → text of every file ``init`` writes."""
    answers = answers.checked()
    files = {"site.py": site_file(answers), ".gitignore": GITIGNORE,
             "README.md": readme(answers)}
    if answers.platform is StarterPlatform.MINIMAL:
        files["stacks/platform/stack.py"] = PLATFORM_STACK
        files["stacks/traefik/stack.py"] = TRAEFIK_STACK
        files["stacks/traefik/rbac.yaml"] = TRAEFIK_RBAC
    return files


NEXT_STEPS = (
    "homestack new web --image docker.io/traefik/whoami:v1.10.3 --port 80",
    "homestack validate",
    "homestack apply",
)
