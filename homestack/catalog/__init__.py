"""The catalog layer: find and load a homelab repository, with errors that name file and line."""

from homestack.catalog.errors import CatalogError
from homestack.catalog.homelab import Homelab, RenderedHomelab
from homestack.catalog.loader import load, load_site, stack_files
from homestack.catalog.render import render_all
from homestack.catalog.revision import checkout

__all__ = [
    "CatalogError",
    "Homelab",
    "RenderedHomelab",
    "checkout",
    "load",
    "load_site",
    "render_all",
    "stack_files",
]
