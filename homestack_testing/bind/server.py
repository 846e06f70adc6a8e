"""Start and stop BIND ``named`` with a TSIG key on 127.0.0.1 and a free port."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

KEY_NAME = "homestack-test"
ALGORITHM = "hmac-sha256"


def named_binary() -> str | None:
    """The path of ``named`` (Debian puts it in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("named")
    if found:
        return found
    candidate = Path("/usr/sbin/named")
    return str(candidate) if candidate.exists() else None


def _free_port() -> int:
    # The port must be free for TCP and UDP alike: named listens on both.
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                udp.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port for named")


ZONE_FILE = """$TTL 300
@ IN SOA ns.{zone}. hostmaster.{zone}. 1 3600 600 86400 300
@ IN NS ns.{zone}.
ns IN A 127.0.0.1
"""


class BindServer:
    """One ``named`` process serving ``zones`` (primary, dynamic, TSIG-protected)."""

    def __init__(self, zones: tuple[str, ...] = ("home.arpa",)) -> None:
        self.zones = zones
        self.secret = base64.b64encode(os.urandom(32)).decode()
        self.key_name = KEY_NAME
        self.algorithm = ALGORITHM
        self.host = "127.0.0.1"
        self.port = 0
        self._dir: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> BindServer:
        """Write the configuration, start ``named`` and wait until every zone answers."""
        binary = named_binary()
        if binary is None:
            raise FileNotFoundError("named (Debian package bind9) is not installed")
        self._dir = Path(tempfile.mkdtemp(prefix="named-"))
        self.port = _free_port()
        (self._dir / "named.conf").write_text(self._config())
        for zone in self.zones:
            (self._dir / f"{zone}.zone").write_text(ZONE_FILE.format(zone=zone))
        with open(self._dir / "named.log", "wb") as log:  # the child keeps its own copy
            self._process = subprocess.Popen(
                [binary, "-g", "-4", "-n", "1", "-c", str(self._dir / "named.conf")],
                stdout=subprocess.DEVNULL, stderr=log,
            )
        self._wait()
        return self

    def _config(self) -> str:
        assert self._dir is not None
        zones = "\n".join(
            f'zone "{zone}" {{ type primary; file "{self._dir}/{zone}.zone"; '
            f"allow-update {{ key {KEY_NAME}; }}; allow-transfer {{ key {KEY_NAME}; }}; }};"
            for zone in self.zones
        )
        return f"""
key "{KEY_NAME}" {{ algorithm {ALGORITHM}; secret "{self.secret}"; }};
options {{
  directory "{self._dir}";
  pid-file "{self._dir}/named.pid";
  listen-on port {self.port} {{ 127.0.0.1; }};
  listen-on-v6 {{ none; }};
  recursion no;
  dnssec-validation no;
  notify no;
}};
controls {{ }};
{zones}
"""

    def _wait(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"named exited: {self.log()[-2000:]}")
            try:
                for zone in self.zones:
                    query = dns.message.make_query(zone, dns.rdatatype.SOA)
                    answer = dns.query.udp(query, self.host, port=self.port, timeout=0.5)
                    if answer.rcode() != dns.rcode.NOERROR or not answer.answer:
                        raise OSError(f"{zone} not loaded yet")
                return
            except (OSError, dns.exception.Timeout):
                time.sleep(0.1)
        raise RuntimeError(f"named did not answer in time: {self.log()[-2000:]}")

    def log(self) -> str:
        """What named wrote so far (for failure messages)."""
        if self._dir is None or not (self._dir / "named.log").exists():
            return ""
        return (self._dir / "named.log").read_text(errors="replace")

    def stop(self) -> None:
        """Stop named and remove its files."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
            self._process = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> BindServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
