"""Chatterbox TTS: text to speech with voice cloning on the GPU, for the assistants.

The models are on the SSD NFS share; a Job seeds the stock voices. The GPU is shared with
the daytime Services, so a CronJob keeps the server parked outside the off-peak window.
In-cluster only.
"""

from homestack import Stack, tier
from homestack.kit import (
    cronjob,
    deployment,
    http_probe,
    job,
    nfs_volume,
    rule,
    service_account,
)

stack = Stack("tts", tier=tier.GPU, needs=["platform", "vault", "nvidia"],
              description="Text to speech on the GPU")
IMAGE = "registry.home.arpa/homelab/chatterbox-tts:0.2.3"
models = nfs_volume(stack, "chatterbox-models", export="/srv/nfs-ssd/chatterbox", size="30Gi")
job(stack, "seed-stem-voices", image=IMAGE, memory="512Mi", cpu="100m",
    args=["seed-voices", "--to", "/models/voices"], mounts={"/models": models})
# Created parked: the off-peak guard owns the replica count from then on.
deployment(stack, "chatterbox-tts", image=IMAGE, memory="6Gi", cpu="500m", gpu=1, port=8004,
           replicas=0,
           env={"HOST": "0.0.0.0", "MODEL_DIR": "/models"}, mounts={"/models": models},
           probes=http_probe("/health", initial_delay=60), backend_kind="api",
           owned_elsewhere=["spec.replicas"])
scaler = service_account(stack, "offpeak-guard",
                         rules=[rule(["apps"], ["deployments", "deployments/scale"],
                                     ["get", "patch"])])
cronjob(stack, "offpeak-guard", schedule="*/3 * * * *",
        image="registry.k8s.io/kubectl:v1.34.0", memory="64Mi", cpu="10m",
        service_account=scaler, command=["/bin/sh", "-c"],
        args=["h=$(date +%H); if [ $h -ge 1 ] && [ $h -lt 7 ]; then r=1; else r=0; fi; "
              "kubectl scale deploy/chatterbox-tts --replicas=$r"])
