"""The outputs layer: rendered files, docs and the catalog."""

from homestack.model.manifest import document, file_name, to_yaml

__all__ = ["document", "file_name", "to_yaml"]
