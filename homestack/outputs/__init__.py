"""The outputs layer: rendered files, the GitOps repository, docs and the catalog."""

from homestack.outputs.manifest import document, file_name, to_yaml

__all__ = ["document", "file_name", "to_yaml"]
