"""Label and annotation keys Homestack writes on rendered objects.

The kit records its intent here (auth mode and reason, DNS mode, catalog tile, backups) so that
policy rules, docs and the dashboard read one vocabulary from the rendered objects alone.
"""

from __future__ import annotations

PREFIX = "homestack.dev"
# Inventory: the Site whose Homestack applied an object (Sites sharing a cluster never take
# each other's objects for their own).
SITE = f"{PREFIX}/site"

# Ingress intent
AUTH = f"{PREFIX}/auth"  # required | app | public | none
AUTH_REASON = f"{PREFIX}/auth-reason"  # what gates the Service when auth is app or none
ALLOWED_GROUPS = f"{PREFIX}/allowed-groups"  # comma-separated identity groups
DNS = f"{PREFIX}/dns"  # proxied | non-proxied | internal | none
ANTI_AI = f"{PREFIX}/anti-ai"  # "true" | "false"
LAN_ONLY = f"{PREFIX}/lan-only"  # "true" when only LAN CIDRs may reach it
EXTERNAL_MONITOR = f"{PREFIX}/external-monitor"  # "true" when an uptime monitor watches it
BACKEND_KIND = f"{PREFIX}/backend-kind"  # web | git | webdav | caldav | api

# Catalog tile (dashboard, service catalog, monitors, forward-auth table)
CATALOG_NAME = f"{PREFIX}/catalog-name"
CATALOG_GROUP = f"{PREFIX}/catalog-group"
CATALOG_ICON = f"{PREFIX}/catalog-icon"
CATALOG_DESCRIPTION = f"{PREFIX}/catalog-description"
CATALOG_HREF = f"{PREFIX}/catalog-href"
CATALOG_HIDDEN = f"{PREFIX}/catalog-hidden"  # "true" hides the tile

# Storage and data
BACKUP_OF = f"{PREFIX}/backup-of"  # on a backup CronJob: the PVC name it copies
SENSITIVE = f"{PREFIX}/sensitive"  # on a PVC: "true" | "false", the author's data choice
SQLITE = f"{PREFIX}/sqlite"  # on a PVC or NFS volume: "true" when it holds SQLite files

# Workloads
IMAGE_OWNER = f"{PREFIX}/image-owner"  # e.g. "keel" when an updater owns the image field
CRITICAL = f"{PREFIX}/critical-path"  # "true" on critical-path workloads

# Namespaces
NO_QUOTA_REASON = f"{PREFIX}/no-quota-reason"  # why a namespace opts out of its tier quota

# Ownership and inventory
FIELD_MANAGER = "homestack"  # the SSA field manager, and the managed-by label's value
MANAGED_BY = "app.kubernetes.io/managed-by"
STACK = f"{PREFIX}/stack"  # label: the Stack an object belongs to

# Databases
DB_ROLE = f"{PREFIX}/db-role"  # on a CNPG Database: the owner role the shared cluster manages

# On a Secret the kit declares without data: the keys the kube target fills with random values
# when the Secret lacks them (comma-separated), written by the generator field manager so
# that later applies, which declare no data, never take them back.
GENERATED_KEYS = f"{PREFIX}/generated-keys"
GENERATED_LENGTH = f"{PREFIX}/generated-length"
GENERATOR_MANAGER = "homestack-generator"
