"""Break-glass agent: a coding-agent session with SSH to the hosts, for when CI is down.

Admins only, behind forward-auth. The SSH key and the session env come from Vault; the
sessions live in the pod only.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    empty_dir,
    external_secret,
    http_probe,
    ingress,
)

stack = Stack("claude-breakglass", tier=tier.AUX,
              needs=["platform", "vault", "external-secrets", "authentik"],
              description="Break-glass agent session with host access")
ssh = external_secret(stack, "breakglass-ssh", {"id_ed25519": "secret/claude-breakglass#ssh_key"})
session_env = external_secret(stack, "breakglass-env", data_from=["secret/claude-breakglass"])
shell = deployment(
    stack, "claude-breakglass", image="registry.home.arpa/homelab/claude-agent-service:0.12.0",
    memory="768Mi", memory_request="384Mi", cpu="50m", port=8080, env_from=[session_env],
    env={"BREAKGLASS_KEY_PATH": "/ssh/id_ed25519", "BREAKGLASS_SESSIONS_DIR": "/sessions",
         "HOME": "/home/agent"},
    mounts={"/home/agent": empty_dir("claude-home"), "/sessions": empty_dir("sessions"),
            "/ssh": ssh},
    probes=http_probe("/healthz"),
)
ingress(stack, shell, host="breakglass", dns="proxied", auth=auth.required(groups=["admins"]),
        catalog=Catalog(name="Break-glass agent", group="Infrastructure",
                        description="Agent shell with host access, for outages"))
