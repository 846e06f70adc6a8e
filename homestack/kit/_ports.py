"""Named ports of a workload: the container port, the port its Service shows, the protocol.

``ports={"http": 4533}`` serves 4533 on the Service too; ``Port(4533, service=80)`` keeps an
in-cluster URL on port 80 while the container listens on 4533; ``Port(49160, protocol="udp",
cluster=False)`` is a container port that only a ``load_balancer`` or ``service`` exposes (a
TURN server's relay range), so it stays off the workload's ClusterIP Service.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from homestack.kit._strict import strict_type
from homestack.model import ModelError

PORT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$")
PROTOCOLS = ("TCP", "UDP", "SCTP")


@strict_type
@dataclass(frozen=True)
class Port:
    """One named port: ``number`` in the container, ``service`` on the Service (default same).

    Example: ``ports={"http": Port(4533, service=80), "relay": Port(3478, protocol="udp")}``
    """

    number: int
    service: int | None = None
    protocol: str = "TCP"
    cluster: bool = True

    @property
    def service_port(self) -> int:
        """The port the workload's Service shows."""
        return self.service if self.service is not None else self.number


def _valid(number: object) -> bool:
    return isinstance(number, int) and not isinstance(number, bool) and 0 < number < 65536


def parse_port(name: str, value: int | str | Port, subject: str) -> Port:
    """``8080``, ``"53/udp"`` or a ``Port``, checked; raise naming ``name`` otherwise."""
    if isinstance(value, Port):
        port = Port(value.number, value.service, value.protocol.upper(), value.cluster)
    else:
        number_text, _, protocol = str(value).partition("/")
        number = int(number_text) if number_text.isdigit() else -1
        port = Port(number, None, (protocol or "tcp").upper())
    if (not PORT_NAME.fullmatch(name) or not _valid(port.number) or port.protocol not in PROTOCOLS
            or (port.service is not None and not _valid(port.service))):
        raise ModelError(
            f"port {name}={value!r} is not valid",
            subject=subject,
            hint="Name ports with up to 15 lowercase letters/digits/'-' and give 1-65535, "
            "optionally '/udp'",
        )
    return port


def parse_ports(
    port: int | None, service_port: int | None, ports: Mapping[str, int | str | Port] | None,
    subject: str,
) -> dict[str, Port]:
    """The workload's ports from ``port=`` (with ``service_port=``) or ``ports=``."""
    if port is not None and ports is not None:
        raise ModelError("give port or ports, not both", subject=subject)
    if service_port is not None and port is None:
        raise ModelError("service_port goes with port=", subject=subject,
                         hint="For several ports use ports={'http': Port(4533, service=80)}")
    if port is not None:
        chosen: int | Port = port if service_port is None else Port(port, service_port)
        return {"http": parse_port("http", chosen, subject)}
    return {name: parse_port(name, value, subject) for name, value in (ports or {}).items()}
