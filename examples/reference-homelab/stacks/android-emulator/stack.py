"""An Android emulator on the cluster: noVNC in the browser, adb on the shared LB IP.

A small gate wakes the emulator on the first visit and shows its screen; a CronJob parks it
again after fifteen idle minutes. The LAN reaches both on the internal host; from outside they
sit behind forward-auth. The emulator renders in software: the kit mounts no host device
(``/dev/kvm``), and 1-cluster is a Guaranteed tier, so memory is 3Gi (request = limit).
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    config_files,
    cronjob,
    deployment,
    http_probe,
    ingress,
    load_balancer,
    rule,
    service,
    service_account,
)

stack = Stack("android-emulator", tier=tier.CLUSTER, needs=["metallb", "authentik"],
              description="Android emulator in the browser")
sdk = block_volume(stack, "sdk", size="20Gi", sensitive=False)
emulator = deployment(
    stack, "android-emulator", image="registry.home.arpa/homelab/android-emulator:34.2.1",
    memory="3Gi", cpu="2", ports={"adb": 5555, "novnc": 6080}, mounts={"/sdk": sdk},
    env={"EMULATOR_ARGS": "-no-audio -no-boot-anim -gpu swiftshader_indirect"},
)
novnc = service(stack, emulator, name="android-emulator-novnc", ports={"novnc": 6080})
load_balancer(stack, emulator, ports={"adb": 5555})
waker = service_account(stack, "android-emulator-gate", rules=[
    rule(["apps"], ["deployments", "deployments/scale"], ["get", "patch", "update"]),
    rule([""], ["pods"], ["get", "list"]),
])
gate_code = config_files(stack, "android-emulator-gate", {
    "gate.py": "# Wakes the emulator (scale 0 -> 1) and waits for noVNC before redirecting.\n"})
gate = deployment(
    stack, "android-emulator-gate", image="docker.io/library/python:3.12.8-alpine",
    memory="64Mi", cpu="10m", port=8080, service_port=80, command=["python", "/app/gate.py"],
    env={"NAMESPACE": "android-emulator", "DEPLOYMENT": "android-emulator"},
    mounts={"/app": gate_code}, service_account=waker, probes=http_probe("/healthz"),
)
cronjob(
    stack, "idle-sleeper", schedule="*/15 * * * *",
    image="registry.k8s.io/kubectl:v1.34.0", memory="64Mi", cpu="10m",
    service_account=waker, command=["/bin/sh", "-c"],
    args=["kubectl -n android-emulator scale deploy/android-emulator --replicas=0 "
          "--current-replicas=1 || true"],
)
LAN = auth.none("LAN only: the gate and the screen answer the home network alone")
ingress(stack, gate, host="android-emulator.home.arpa", auth=LAN, lan_only=True,
        catalog=Catalog(name="Android emulator", group="Development", icon="android.png",
                        description="Emulated phone in the browser"))
ingress(stack, novnc, name="android-emulator-novnc", host="android-emulator.home.arpa",
        paths=["/websockify", "/vnc"], auth=LAN, dns="none", lan_only=True, rate_limit=False,
        catalog=Catalog(hidden=True))
ingress(stack, gate, name="android-emulator-public", host="android-emulator",
        auth=auth.required(), dns="proxied", catalog=Catalog(hidden=True))
ingress(stack, novnc, name="android-emulator-public-novnc", host="android-emulator",
        paths=["/websockify", "/vnc"], auth=auth.required(), dns="none", rate_limit=False,
        catalog=Catalog(hidden=True))
