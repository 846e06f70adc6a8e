"""VPA: the Vertical Pod Autoscaler and its dashboard, removed; the Stack declares nothing.

Every VPA ran in recommend-only mode, yet the objects cost etcd writes and an admission
webhook on every pod. Right-sizing is done on demand from the metrics instead; the empty
Stack is what removed the old objects.
"""

from homestack import Stack

stack = Stack("vpa", needs=["infra"], owns_namespace=False,
              description="Retired: right-sizing is done on demand")
