"""OSM routing: foot and bicycle routing (OSRM) and public transport (OpenTripPlanner).

Graphs are built from OpenStreetMap and GTFS extracts onto NFS by a monthly job; the routers
load them read-only. In-cluster only (the maps app and the agents call them). The seeds named
this Stack ``osm_routing``; a Stack name is a DNS label, so here it is ``osm-routing``.
"""

from homestack import Stack, tier
from homestack.kit import cronjob, deployment, http_probe, mount, nfs_volume

stack = Stack("osm-routing", tier=tier.AUX, needs=["platform"],
              description="Walking, cycling and transit routing")
OSRM = "ghcr.io/project-osrm/osrm-backend:v6.0.0"
osrm_data = nfs_volume(stack, "osrm-data", export="/srv/nfs/osm-routing/osrm", size="20Gi")
otp_data = nfs_volume(stack, "otp-data", export="/srv/nfs/osm-routing/otp", size="20Gi")
for profile in ("foot", "bicycle"):
    deployment(stack, f"osrm-{profile}", image=OSRM, memory="512Mi", memory_request="256Mi",
               cpu="50m", port=5000, command=["osrm-routed"],
               args=["--algorithm", "mld", f"/data/{profile}/region.osrm"],
               mounts={"/data": mount(osrm_data, read_only=True)}, backend_kind="api")
deployment(stack, "otp", image="docker.io/opentripplanner/opentripplanner:2.6.0",
           memory="1536Mi", memory_request="768Mi", cpu="100m", port=8080,
           args=["--load", "/var/opentripplanner"],
           mounts={"/var/opentripplanner": mount(otp_data, read_only=True)},
           probes=http_probe("/otp/actuators/health", initial_delay=120), backend_kind="api")
cronjob(stack, "osrm-refresh", schedule="0 4 1 * *", image=OSRM, memory="2Gi",
        memory_request="512Mi", cpu="500m", command=["/bin/sh", "-c"],
        args=["for p in foot bicycle; do osrm-extract -p /opt/$p.lua /data/region.osm.pbf && "
              "osrm-partition /data/region.osrm && osrm-customize /data/region.osrm && "
              "mkdir -p /data/$p && mv /data/region.osrm* /data/$p/; done"],
        mounts={"/data": osrm_data})
