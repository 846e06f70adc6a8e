"""Instagram poster: picks, captions and schedules photos from the library, then posts them.

The UI is behind forward-auth; the image paths are carved out because Meta's fetcher
downloads the photos without a login. Three CronJobs: pick, post, and a caption benchmark
that writes to Postgres.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    cronjob,
    deployment,
    external_secret,
    http_probe,
    ingress,
    postgres_database,
)

stack = Stack("instagram-poster", tier=tier.AUX,
              needs=["platform", "vault", "external-secrets", "immich"],
              description="Photo posting to Instagram")
IMAGE = "registry.home.arpa/homelab/instagram-poster:3.1.0"
data = block_volume(stack, "data", size="5Gi", sensitive=False, sqlite=True)
secrets = external_secret(stack, "instagram-poster-env", data_from=["secret/instagram-poster"])
bench = postgres_database(stack, "instagram-poster-benchmark",
                          database="instagram_poster_benchmark")
app = deployment(stack, "instagram-poster", image=IMAGE, memory="512Mi", memory_request="256Mi",
                 cpu="50m", port=8000, env_from=[secrets], mounts={"/data": data},
                 probes=http_probe("/healthz"))
ingress(stack, app, host="instagram-poster", dns="proxied", auth=auth.required(),
        carve_outs={"/image": auth.none("Meta's fetcher downloads the photo without a login"),
                    "/original": auth.none("Meta's fetcher downloads the photo without a login")},
        catalog=Catalog(name="Instagram poster", group="Media",
                        description="Photo picks and posting schedule"))
for name, schedule, args in (("pick", "0 6 * * *", ["pick"]), ("post", "0 18 * * *", ["post"])):
    cronjob(stack, name, schedule=schedule, image=IMAGE, memory="384Mi", cpu="50m", args=args,
            env_from=[secrets], mounts={"/data": data})
cronjob(stack, "caption-benchmark", schedule="0 3 * * 0", image=IMAGE, memory="256Mi",
        cpu="50m", args=["benchmark"],
        env={"BENCH_DB_HOST": bench.host, "BENCH_DB_NAME": bench.database,
             "BENCH_DB_USER": bench.user, "BENCH_DB_PASSWORD": bench.password})
