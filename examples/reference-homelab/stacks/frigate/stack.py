"""Frigate: the camera NVR with object detection on the GPU; recordings on NFS.

RTSP restreams for Home Assistant are on the shared LB IP. The UI is behind forward-auth.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    empty_dir,
    ingress,
    load_balancer,
    nfs_volume,
    stack_ref,
    vault_secret,
)

stack = Stack("frigate", tier=tier.GPU, needs=["authentik", "nvidia", "mqtt"],
              description="Camera recorder with object detection")
MOSQUITTO_LB = stack_ref("mqtt").service("mosquitto-lb")
recordings = nfs_volume(stack, "recordings", export="/srv/nfs/frigate", size="2Ti")
config = block_volume(stack, "config", size="2Gi", sqlite=True)
nvr = deployment(
    stack, "frigate", image="ghcr.io/blakeblackshear/frigate:0.14.1-tensorrt", memory="3Gi",
    cpu="1", gpu=1, ports={"http": 5000, "rtsp": 8554, "webrtc": "8555/udp"},
    env={"FRIGATE_MQTT_HOST": MOSQUITTO_LB.host,
         "FRIGATE_MQTT_PASSWORD": vault_secret(stack, "mqtt_password"),
         "FRIGATE_RTSP_PASSWORD": vault_secret(stack, "rtsp_password"),
         "YOLO_MODELS": "yolov7-320"},
    mounts={"/media/frigate": recordings, "/config": config,
            "/dev/shm": empty_dir("shm", memory=True, size_limit="512Mi")},
)
load_balancer(stack, nvr, ports={"rtsp": 8554, "webrtc": "8555/udp"})
ingress(stack, nvr, host="cameras", auth=auth.required(groups=["family"]),
        catalog=Catalog(name="Frigate", group="Home", icon="frigate.png",
                        description="Cameras, events and recordings"))
