"""People's namespaces and cluster access, all from the Site's roster (``site.identity``).

Each user with namespaces gets them (tier 4-aux, the user's quota through governance) and RBAC
by role: admins cluster-admin, power users cluster read without Secrets or exec, namespace
owners admin in their own namespaces plus cluster read. Add a user to the roster, not here.
"""

from homestack import Stack, tier
from homestack.kit import tenants

stack = Stack("tenants", tier=tier.AUX, needs=["platform"],
              description="Namespaces and RBAC of the roster's users")
tenants(stack)
