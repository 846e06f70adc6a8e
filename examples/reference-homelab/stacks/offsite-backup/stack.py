"""The third copy of 3-2-1: every night, the backup directories on NFS go to the offsite NAS
(over the VPN, with restic, encrypted before they leave). A monthly job proves a restore."""

from homestack import Stack, tier
from homestack.kit import cronjob, external_secret, mount, nfs_volume

stack = Stack("offsite-backup", tier=tier.AUX, needs=["external-secrets", "nfs-csi"],
              description="Offsite copy of every backup")
IMAGE = "docker.io/restic/restic:0.17.3"
backups = nfs_volume(stack, "backups", export="/srv/nfs/backup", size="4Ti",
                     access_modes=["ReadOnlyMany"])
repo = external_secret(stack, "restic", {
    "RESTIC_REPOSITORY": "secret/offsite-backup#repository",
    "RESTIC_PASSWORD": "secret/offsite-backup#password",
})
env = {"RESTIC_REPOSITORY": repo["RESTIC_REPOSITORY"], "RESTIC_PASSWORD": repo["RESTIC_PASSWORD"]}
cronjob(stack, "sync", schedule="0 5 * * *", image=IMAGE, memory="512Mi", cpu="200m",
        args=["backup", "/backups", "--host", "homelab", "--exclude", "*.tmp"], env=env,
        mounts={"/backups": mount(backups, read_only=True)})
cronjob(stack, "prune", schedule="0 9 * * 0", image=IMAGE, memory="256Mi", cpu="100m",
        args=["forget", "--prune", "--keep-daily", "7", "--keep-weekly", "4",
              "--keep-monthly", "12"], env=env)
cronjob(stack, "restore-check", schedule="0 10 1 * *", image=IMAGE, memory="256Mi",
        cpu="100m", args=["check", "--read-data-subset", "5%"], env=env)
