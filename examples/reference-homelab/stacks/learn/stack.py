"""Learning pages: two static sites (pages and plans) built from one Git repository.

git-sync keeps the repository current on a small NFS share and Caddy serves both sites by
host. Both are behind forward-auth. (The seeds ran git-sync as a sidecar; the kit declares one
container per workload, so the two share the volume instead.)
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    config_files,
    deployment,
    external_secret,
    ingress,
    mount,
    nfs_volume,
)

stack = Stack("learn", tier=tier.AUX, needs=["authentik", "forgejo"],
              description="Study pages and plans")
repo = nfs_volume(stack, "repo", export="/srv/nfs/learn", size="1Gi")
git = external_secret(stack, "learn-git-creds", {"ssh": "secret/learn#ssh",
                                                  "known_hosts": "secret/learn#known_hosts"})
deployment(stack, "git-sync", image="registry.k8s.io/git-sync/git-sync:v4.7.0", memory="64Mi",
           cpu="10m", mounts={"/repo": repo, "/etc/git-secret": git},
           args=["--repo=ssh://git@git.example.org/alex/learn.git", "--root=/repo",
                 "--period=60s", "--ssh-key-file=/etc/git-secret/ssh",
                 "--ssh-known-hosts-file=/etc/git-secret/known_hosts"])
caddyfile = config_files(stack, "learn-caddyfile", {
    "Caddyfile": ":8080 {\n\t@plans host plans.example.org\n\troot @plans /repo/current/plans\n"
                 "\troot * /repo/current/pages\n\tfile_server\n}\n"})
site = deployment(stack, "learn", image="docker.io/library/caddy:2.10.2-alpine", memory="64Mi",
                  cpu="10m", port=8080,
                  mounts={"/repo": mount(repo, read_only=True), "/etc/caddy": caddyfile})
ingress(stack, site, name="pages", host="pages", dns="proxied", auth=auth.required(),
        catalog=Catalog(name="Learning pages", group="Learning", description="Study notes"))
ingress(stack, site, name="plans", host="plans", dns="proxied", auth=auth.required(),
        catalog=Catalog(name="Learning plans", group="Learning", description="Study plans"))
