"""Test infrastructure for Homestack (not part of the homestack package)."""
