"""The providers layer: the only code that talks to outside APIs (Kubernetes first)."""
