"""Agent memory: an MCP server that stores and recalls notes for the coding agents, in Postgres.

Agents call it with API keys from anywhere, so the ingress has no forward-auth.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    http_probe,
    ingress,
    job,
    postgres_database,
    vault_secret,
)

stack = Stack("claude-memory", tier=tier.AUX, needs=["platform", "vault"],
              description="Long-term memory for the coding agents")
db = postgres_database(stack, "claude-memory", database="claude_memory")
job(stack, "db-init", image="docker.io/library/postgres:16.6-alpine", memory="64Mi", cpu="10m",
    command=["psql", "-c", "CREATE EXTENSION IF NOT EXISTS vector"],
    env={"PGHOST": db.host, "PGDATABASE": db.database, "PGUSER": db.user,
         "PGPASSWORD": db.password})
server = deployment(
    stack, "claude-memory", image="registry.home.arpa/homelab/claude-memory-mcp:0.7.1",
    memory="1Gi", memory_request="512Mi", cpu="50m", port=8000,
    env={"DB_HOST": db.host, "DB_NAME": db.database, "DB_USER": db.user,
         "DB_PASSWORD": db.password, "API_KEYS": vault_secret(stack, "api_keys"),
         "MEMORY_EMBEDDINGS_ENABLED": "true", "OMP_NUM_THREADS": "1",
         "MKL_NUM_THREADS": "1"},
    probes=http_probe("/health"), backend_kind="api",
)
ingress(stack, server, host="claude-memory", dns="proxied",
        auth=auth.none("MCP clients authenticate with API keys"),
        catalog=Catalog(name="Agent memory", group="Development",
                        description="MCP memory server for the agents"))
