"""stem95su: a school site that moved to a static host; the Stack now declares nothing.

Kept so the graph and the docs still know the name: applying an empty Stack is how its old
objects (site, content share, sync job) were removed. Its content is published by
``valia-sites`` now.
"""

from homestack import Stack

stack = Stack("stem95su", needs=["platform"], owns_namespace=False,
              description="Retired: served by valia-sites")
