"""Job hunter: weekly refresh of job boards into Postgres and an alert with the new matches.

No UI: two CronJobs and a migration Job, sharing the image and the database.
"""

from homestack import Stack, tier
from homestack.kit import cronjob, external_secret, job, postgres_database, vault_secret

stack = Stack("job-hunter", tier=tier.AUX, needs=["platform", "vault", "external-secrets"],
              description="Job board watcher")
IMAGE = "registry.home.arpa/homelab/job-hunter:0.9.4"
db = postgres_database(stack, "job-hunter", database="job_hunter")
boards = external_secret(stack, "job-hunter-boards", data_from=["secret/job-hunter-boards"])
ENV = {"DB_HOST": db.host, "DB_NAME": db.database, "DB_USER": db.user,
       "DB_PASSWORD": db.password, "NTFY_TOKEN": vault_secret(stack, "ntfy_token")}
job(stack, "alembic-migrate", image=IMAGE, memory="128Mi", cpu="20m",
    args=["alembic", "upgrade", "head"], env=ENV)
cronjob(stack, "refresh", schedule="0 4 * * 0", image=IMAGE, memory="384Mi", cpu="100m",
        args=["refresh"], env=ENV, env_from=[boards])
cronjob(stack, "alert", schedule="0 5 * * 0", image=IMAGE, memory="128Mi", cpu="20m",
        args=["alert"], env=ENV)
