"""Record sets with parts, in presentation form: MX, SRV and CAA, public and internal."""

from homestack import Stack, tier
from homestack.kit import dns_record

stack = Stack("mail", tier=tier.AUX)
dns_record(stack, "@", "MX", "10 mail.example.org")
dns_record(stack, "_submission._tcp.example.org", "SRV", "0 1 587 mail.example.org.", ttl=3600)
dns_record(stack, "@", "CAA", '0 issue "letsencrypt.org"')
dns_record(stack, "shop", "CAA", "0 iodef mailto:ops@example.org")
dns_record(stack, "home.arpa", "MX", "0 .")
dns_record(stack, "_ldap._tcp.home.arpa", "SRV", "0 0 389 dc.home.arpa")
