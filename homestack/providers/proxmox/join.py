"""Node-join files the ``pve`` target writes before a VM boots.

kubeadm: the cloud-init user-data snippet, with the ``${ENV}`` placeholders filled from the
environment, into the snippets folder of the PVE storage (PVE's API cannot upload snippets,
so the folder must be reachable from here: an NFS or SSHFS mount of the host's
``/var/lib/vz/snippets``). Talos: a machine-configuration patch per node plus instructions,
since Homestack does not run ``talosctl``.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from homestack.model.manifest import to_yaml
from homestack.providers.environment import required_env
from homestack.providers.errors import ProviderConfigError

INSTRUCTIONS = """# Talos nodes (written by Homestack)

Homestack does not run talosctl. For each node file here:

    talosctl gen config {cluster} https://{endpoint} --output-dir secrets/   # once
    talosctl machineconfig patch secrets/<role>.yaml --patch @<node>.yaml -o <node>.final.yaml
    talosctl apply-config --insecure --nodes <node address> --file <node>.final.yaml

then `talosctl bootstrap` on the first control-plane node.
"""


def fill(text: str, names: list[str], subject: str) -> str:
    """``text`` with ``${NAME}`` replaced by the environment's values of ``names``."""
    for name in names:
        value = required_env(name, what="a kubeadm join secret", subject=subject,
                             hint=f"Export {name} (the kubeadm join secret)")
        text = text.replace(f"${{{name}}}", value)
    return text


def write_join(join: dict[str, Any] | None, snippets: Path | None, root: Path,
               subject: str) -> None:
    """Write what ``join`` needs before the VM boots (nothing for a non-node)."""
    if join is None:
        return
    if join["method"] == "talos":
        folder = root / join["dir"]
        folder.mkdir(parents=True, exist_ok=True)
        head = f"# Talos {join['role']} patch, endpoint {join['endpoint']}\n"
        (folder / join["file"]).write_text(head + to_yaml(join["patch"]))
        (folder / "INSTRUCTIONS.md").write_text(
            INSTRUCTIONS.format(cluster="homelab", endpoint=join["endpoint"]))
        return
    if snippets is None:
        raise ProviderConfigError(
            "kubeadm join needs site.proxmox.snippets_dir", subject=subject,
            hint="Mount the PVE storage's snippets folder here and name it in the Site")
    target = snippets / join["snippet"]
    if not target.exists():
        snippets.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".tmp")
        partial.write_text(fill(join["user_data"], join["env"], subject))
        partial.chmod(0o600)
        partial.replace(target)


def forget_joins(snippets: Path | None, vmid: int, keep: Collection[str] = ()) -> list[str]:
    """Remove the VM's join snippets other than those in ``keep``: each holds the join
    token, and one the VM's configuration no longer names (an older version, a deleted VM) is
    no longer needed. Returns the names removed."""
    if snippets is None or not snippets.is_dir():
        return []
    removed = []
    for path in sorted(snippets.glob(f"homestack-{vmid}-*.yaml")):
        if path.name not in keep:
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed
