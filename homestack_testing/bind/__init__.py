"""A real authoritative DNS server (Debian's BIND ``named``) for tests, on 127.0.0.1.

``BindServer(zones=...)`` writes a configuration with one TSIG key that may update and transfer
every zone (what the rfc2136 DNS backend needs), starts ``named`` in the foreground on a free
port, and waits until it answers SOA queries.
"""

from homestack_testing.bind.server import BindServer, named_binary

__all__ = ["BindServer", "named_binary"]
