"""``python -m homestack`` runs the command line."""

from homestack.cli import main

main()
