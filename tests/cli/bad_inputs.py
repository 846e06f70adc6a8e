"""The bad-input catalogue: homelabs that are each wrong in one way, and what the error must
say. Every case is invalid input (exit 3) with one message naming the file and line (or the
Site's field) and the words given here. ``test_bad_input_suite`` runs them.

A case is ``(site_extra, stack_body, where, words)``: ``site_extra`` is appended to a valid
``site.py`` (it may replace ``site``), ``stack_body`` follows the Stack's first four lines
(so its first line is line 5), ``where`` is the location the message names and ``words`` a
part of the message.
"""

from __future__ import annotations

from dataclasses import dataclass

SITE = """\
from homestack.model import *
site = Site(name="lab", domains=Domains(public="example.org", internal="home.arpa"))
"""
HEAD = """\
from homestack import Stack
from homestack.kit import *
from homestack.model import *
stack = Stack("web", namespace="web")
"""
LINE = "stacks/web/stack.py:5"


@dataclass(frozen=True)
class Bad:
    """One wrong homelab."""

    stack: str = ""
    where: str = LINE
    words: str = ""
    site: str = ""
    files: tuple[tuple[str, str], ...] = ()  # (name next to stack.py, text)


def _dns(host: str, rtype: str = "TXT", content: str = "x", words: str = "") -> Bad:
    return Bad(f"dns_record(stack, {host!r}, {rtype!r}, {content!r})\n", words=words)


def _raw(body: str, words: str) -> Bad:
    return Bad(f"raw(stack, {body})\n", words=words)


def _cm(metadata: str = "{'name': 'x'}", extra: str = "") -> str:
    return "{'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': " + metadata + extra + "}"


def _svc(port: str) -> str:
    return ("{'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': 'x'}, "
            "'spec': {'ports': [" + port + "]}}")


def _pod(container: str) -> str:
    return ("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'x'}, 'spec': "
            "{'containers': [" + container + "]}}")


def _deploy(replicas: str) -> str:
    return ("{'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'x'}, "
            "'spec': {'replicas': " + replicas + ", 'selector': {'matchLabels': {'a': 'b'}}, "
            "'template': {'metadata': {'labels': {'a': 'b'}}, 'spec': {'containers': [{"
            "'name': 'c', 'image': 'docker.io/library/nginx:1.27.2'}]}}}}")


def _web(**options: str) -> Bad:
    args = {"image": "'docker.io/library/nginx:1.27.2'", "memory": "'64Mi'", "cpu": "'10m'",
            "port": "80"}
    args.update(options)
    words = options.pop("_words", "")
    args.pop("_words", None)
    call = ", ".join(f"{k}={v}" for k, v in args.items())
    return Bad(f"deployment(stack, 'web', {call})\n", words=words)


def _site(extra: str, where: str, words: str = "") -> Bad:
    return Bad(site=extra, where=where, words=words)


def _yaml(text: str, words: str) -> Bad:
    return Bad("raw(stack, 'objects.yaml')\n", words=words, files=(("objects.yaml", text),))


CASES: dict[str, Bad] = {}

# -- DNS names ------------------------------------------------------------------------------
for label, host in {
    "300 characters": "a" * 290 + ".example.org", "a 64-character label": "a" * 64 + ".x.org",
    "a space": "bad name.example.org", "a leading hyphen": "-x.example.org",
    "a trailing hyphen": "x-.example.org", "an empty label": "a..b.example.org",
    "a star inside a label": "x*.example.org", "a second star": "*.*.example.org",
    "a slash": "a/b.example.org", "a colon": "a:b.example.org", "an at sign": "a@b.example.org",
    "a line break": "a\nb.example.org", "an accent": "\u00e9t\u00e9.example.org",
    "a quote": "a'b.example.org", "a tab": "a\tb.example.org",
}.items():
    CASES[f"dns name with {label}"] = _dns(host, words="DNS record name")

# -- DNS contents ---------------------------------------------------------------------------
for label, (rtype, content, words) in {
    "A not an address": ("A", "not-an-ip", "is not an IPv4 address"),
    "A past 255": ("A", "10.0.0.256", "is not an IPv4 address"),
    "A with three parts": ("A", "10.0.0", "is not an IPv4 address"),
    "A with a prefix": ("A", "10.0.0.1/24", "is not an IPv4 address"),
    "A holding IPv6": ("A", "::1", "A needs IPv4"),
    "AAAA holding IPv4": ("AAAA", "10.0.0.1", "AAAA needs IPv6"),
    "AAAA with bad hex": ("AAAA", "gggg::1", "is not an IPv6 address"),
    "AAAA with nine groups": ("AAAA", "1:2:3:4:5:6:7:8:9", "is not an IPv6 address"),
    "CNAME with a space": ("CNAME", "not a host", "is not a host name"),
    "CNAME with a leading hyphen": ("CNAME", "-x.example.org", "is not a host name"),
    "CNAME with an empty label": ("CNAME", "a..b.org", "is not a host name"),
    "TXT of 70000 characters": ("TXT", "a" * 70000, "more than 2048"),
    "TXT of 2049 characters": ("TXT", "a" * 2049, "more than 2048"),
    "TXT with a line break": ("TXT", "v=spf1\n-all", "unprintable"),
    "TXT with a tab": ("TXT", "v=spf1\t-all", "unprintable"),
    "MX without priority": ("MX", "mail.example.org", "is not valid"),
    "MX priority past 65535": ("MX", "70000 mail.example.org", "is not valid"),
    "MX without host": ("MX", "10", "is not valid"),
    "SRV with three parts": ("SRV", "10 5 sip.example.org", "is not valid"),
    "SRV port past 65535": ("SRV", "10 5 70000 sip.example.org", "is not valid"),
    "CAA with an unknown tag": ("CAA", '0 foo "x"', "is not valid"),
    "CAA flags past 255": ("CAA", '256 issue "x"', "is not valid"),
    "an unsupported type": ("SPF", "v=spf1", "is not supported"),
    "PTR": ("PTR", "host.example.org", "is not supported"),
    "no content": ("TXT", "", "has no content"),
}.items():
    CASES[f"dns {label}"] = _dns("x.example.org", rtype, content, words)
for label, (rtype, content) in {
    "CNAME to an address": ("CNAME", "10.0.0.1"),
    "MX host with a space": ("MX", "10 mail host.example.org"),
    "SRV target with a space": ("SRV", "10 5 5060 sip host.org"),
    "CAA value with a space unquoted": ("CAA", "0 issue letsencrypt org"),
    "A with leading zeros": ("A", "010.0.0.1"),
    "A with a space": ("A", "10.0.0.1 "),
    "TXT with a NUL": ("TXT", "a\0b"),
    "AAAA with a zone": ("AAAA", "fe80::1%eth0"),
}.items():
    CASES[f"dns {label}"] = _dns("x.example.org", rtype, content, "")
CASES["dns ttl as a string"] = Bad("dns_record(stack, 'x', 'TXT', 'y', ttl='300')\n",
                                   words="ttl")
CASES["dns an unknown keyword"] = Bad("dns_record(stack, 'x', 'TXT', 'y', proxy=True)\n",
                                      words="proxy")
CASES["dns tunnel on a TXT"] = Bad("dns_record(stack, 'x', 'TXT', tunnel=True)\n",
                                   words="tunnel=True needs a CNAME")

# -- raw manifests: identity ----------------------------------------------------------------
for kind in ("'../../Config'", "'configMap'", "'Config Map'", "''", "123", "'A' * 70",
             "'Config\\nMap'", "None"):
    CASES[f"raw kind {kind}"] = _raw(
        "{'apiVersion': 'v1', 'kind': " + kind + ", 'metadata': {'name': 'x'}}", "kind")
for version in ("'v1/../../x y'", "'apps/v1beta'", "'V1'", "'apps/'", "'/v1'", "'apps/v0'",
                "'v1\\n'", "'Apps/v1'"):
    CASES[f"raw apiVersion {version}"] = _raw(
        "{'apiVersion': " + version + ", 'kind': 'ConfigMap', 'metadata': {'name': 'x'}}",
        "apiVersion")

# -- raw manifests: fields ------------------------------------------------------------------
for replicas in ("-1", "'3'", "1.5", "True"):
    CASES[f"raw replicas {replicas}"] = _raw(_deploy(replicas), "spec.replicas")
for label, port in {
    "Service port as a string": "{'port': '443'}", "Service port 0": "{'port': 0}",
    "Service port 70000": "{'port': 70000}", "Service port -1": "{'port': -1}",
    "nodePort 70000": "{'port': 80, 'nodePort': 70000}",
    "nodePort as a string": "{'port': 80, 'nodePort': '30080'}",
    "targetPort 70000": "{'port': 80, 'targetPort': 70000}",
    "targetPort name too long": "{'port': 80, 'targetPort': 'a-very-long-port-name'}",
}.items():
    CASES[f"raw {label}"] = _raw(_svc(port), "spec.ports[0]")
for label, container in {
    "containerPort as a string":
        "{'name': 'c', 'image': 'x', 'ports': [{'containerPort': '80'}]}",
    "containerPort 0": "{'name': 'c', 'image': 'x', 'ports': [{'containerPort': 0}]}",
    "containerPort 70000": "{'name': 'c', 'image': 'x', 'ports': [{'containerPort': 70000}]}",
    "hostPort -1":
        "{'name': 'c', 'image': 'x', 'ports': [{'containerPort': 80, 'hostPort': -1}]}",
    "container name in capitals": "{'name': 'Web', 'image': 'x'}",
    "container name with an underscore": "{'name': 'web_1', 'image': 'x'}",
}.items():
    CASES[f"raw {label}"] = _raw(_pod(container), "spec.containers[0]")
for name in ("'Bad_Name'", "'-x'", "'x' * 254", "''", "'a b'", "'x\\n'"):
    CASES[f"raw name {name}"] = _raw(_cm("{'name': " + name + "}"), "metadata.name")
for namespace in ("'Web'", "'web_1'", "'a' * 64"):
    CASES[f"raw namespace {namespace}"] = _raw(
        _cm("{'name': 'x', 'namespace': " + namespace + "}"), "metadata.namespace")
for label, labels in {
    "key with a space": "{'bad key': 'x'}", "key with two slashes": "{'a/b/c': 'x'}",
    "value of 64 characters": "{'a': 'x' * 64}", "value with a leading hyphen": "{'a': '-x'}",
    "value that is a number": "{'a': 5}", "prefix in capitals": "{'Example.org/a': 'x'}",
}.items():
    CASES[f"raw label {label}"] = _raw(_cm("{'name': 'x', 'labels': " + labels + "}"),
                                       "metadata.labels")
for label, notes in {
    "key with a space": "{'bad key': 'x'}", "value that is a number": "{'a': 5}",
    "of 300 KB": "{'a': 'b' * 300000}", "value that is a list": "{'a': ['x']}",
}.items():
    CASES[f"raw annotation {label}"] = _raw(
        _cm("{'name': 'x', 'annotations': " + notes + "}"), "metadata.annotations")
CASES["raw ConfigMap of 2 MB"] = _raw(_cm(extra=", 'data': {'a': 'b' * 2100000}"),
                                      "more than the API's 1048576")
CASES["raw Secret of 2 MB"] = _raw(
    "{'apiVersion': 'v1', 'kind': 'Secret', 'metadata': {'name': 'x'}, "
    "'stringData': {'a': 'b' * 2100000}}", "more than the API's 1048576")
CASES["raw object of 2 MB"] = _raw(
    "{'apiVersion': 'example.org/v1', 'kind': 'Thing', 'metadata': {'name': 'x'}, "
    "'spec': {'blob': 'b' * 2100000}}", "more than the API server takes")
CASES["raw Namespace kube-system"] = _raw(
    "{'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': 'kube-system'}}",
    "the cluster owns Namespace")
CASES["raw Namespace default"] = _raw(
    "{'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': 'default'}}",
    "the cluster owns Namespace")
CASES["raw declared twice"] = Bad(
    "raw(stack, [" + _cm() + ", " + _cm() + "])\n", words="declared twice")

# -- YAML files -------------------------------------------------------------------------------
YAML_CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
CASES["yaml key twice at the top"] = _yaml(YAML_CM + "kind: Secret\n", "appears twice")
CASES["yaml key twice nested"] = _yaml(
    YAML_CM + "data:\n  a: '1'\n  a: '2'\n", "appears twice")
CASES["yaml key twice in a list item"] = _yaml(
    "apiVersion: v1\nkind: List\nitems:\n- name: a\n  name: b\n", "appears twice")
CASES["yaml not YAML"] = _yaml("a: [1, 2\n", "is not valid YAML")
CASES["yaml tab indent"] = _yaml("a:\n\tb: 1\n", "is not valid YAML")
CASES["yaml billion laughs"] = _yaml(
    "a: &a ['x','x','x','x','x','x','x','x','x','x']\n"
    + "".join(f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
              for p, c in zip("abcdefg", "bcdefgh", strict=True)), "expands to more than")
CASES["yaml not UTF-8"] = Bad("raw(stack, 'objects.yaml')\n", words="is not UTF-8",
                              files=(("objects.yaml", "\udcff"),))
CASES["yaml missing file"] = Bad("raw(stack, 'nowhere.yaml')\n", words="nowhere.yaml")
CASES["yaml an object that is a list"] = _yaml("- a\n- b\n", "has no kind")
CASES["yaml a document without kind"] = _yaml("apiVersion: v1\nmetadata: {name: x}\n",
                                              "has no kind")

# -- secret references ------------------------------------------------------------------------
for label, ref in {
    "leaving the mount": "secret/../../sys/policies/acl/root#policy",
    "with an empty part": "secret//x#k", "with a dot part": "secret/./x#k",
    "in capitals": "Secret/x#k", "without a key": "secret/x",
    "with a space in the key": "secret/x#bad key", "with an empty key": "secret/x#",
    "with a trailing dot dot": "secret/x/..#k",
}.items():
    CASES[f"secret reference {label}"] = Bad(
        f"external_secret(stack, 'creds', {{'token': {ref!r}}})\n", words="secret")

# -- kit helpers ----------------------------------------------------------------------------
for label, options in {
    "memory not a quantity": {"memory": "'lots'"},
    "memory negative": {"memory": "'-64Mi'"},
    "cpu in bytes": {"cpu": "'2Gi'"},
    "cpu not a quantity": {"cpu": "'two'"},
    "port 70000": {"port": "70000"},
    "port 0": {"port": "0"},
    "port as a string": {"port": "'80'"},
    "replicas negative": {"replicas": "-1"},
    "image unpinned": {"image": "'docker.io/library/nginx'"},
    "image latest": {"image": "'docker.io/library/nginx:latest'"},
    "image with a space": {"image": "'nginx 1.27'"},
    "an unknown keyword": {"replica": "2"},
    "env name with a space": {"env": "{'BAD NAME': 'x'}"},
    "env value a list": {"env": "{'A': ['x']}"},
}.items():
    CASES[f"deployment {label}"] = _web(**options)
CASES["deployment name in capitals"] = Bad(
    "deployment(stack, 'Web', image='docker.io/library/nginx:1.27.2', memory='64Mi', "
    "cpu='10m')\n", words="Web")
CASES["ingress host with a space"] = Bad(
    "ingress(stack, deployment(stack, 'web', image='docker.io/library/nginx:1.27.2', "
    "memory='64Mi', cpu='10m', port=80), host='bad host.example.org')\n", words="host")
CASES["ingress path without a slash"] = Bad(
    "ingress(stack, deployment(stack, 'web', image='docker.io/library/nginx:1.27.2', "
    "memory='64Mi', cpu='10m', port=80), paths=['api'])\n", words="path")
CASES["helm version range"] = Bad(
    "helm_release(stack, 'x', chart='x', repo='https://charts.example.org', "
    "version='^1.2')\n", words="not an exact version")
CASES["helm repository not HTTP"] = Bad(
    "helm_release(stack, 'x', chart='x', repo='ftp://charts.example.org', "
    "version='1.2.3')\n", words="neither HTTP(S) nor oci://")
CASES["helm release name in capitals"] = Bad(
    "helm_release(stack, 'Bad', chart='x', repo='https://charts.example.org', "
    "version='1.2.3')\n", words="release name")
CASES["helm values holding a reference"] = Bad(
    "helm_release(stack, 'x', chart='x', repo='https://charts.example.org', "
    "version='1.2.3', values={'p': 'secret/x#k'})\n", words="secret reference")
CASES["helm values holding an object"] = Bad(
    "helm_release(stack, 'x', chart='x', repo='https://charts.example.org', "
    "version='1.2.3', values={'p': object()})\n", words="not plain data")

# -- files that try to leave ------------------------------------------------------------------
for label, (body, words) in {
    "os._exit(0)": ("import os\nos._exit(0)\n", "os._exit(0)"),
    "os._exit(3)": ("import os\nos._exit(3)\n", "os._exit(3)"),
    "os.abort()": ("import os\nos.abort()\n", "os.abort()"),
    "sys.exit(0)": ("import sys\nsys.exit(0)\n", "sys.exit(0)"),
    "sys.exit(1)": ("import sys\nsys.exit(1)\n", "sys.exit(1)"),
    "GeneratorExit": ("raise GeneratorExit\n", "raised GeneratorExit"),
    "BaseException": ("raise BaseException('x')\n", "raised BaseException"),
    "a syntax error": ("def (:\n", "syntax error"),
    "a NUL byte": ("x = 1\0\n", "stack.py"),
    "a NameError": ("nope()\n", "NameError"),
}.items():
    where = "stacks/web/stack.py:6" if body.count("\n") > 1 else LINE
    CASES[f"stack file calling {label}"] = Bad(body, where=where, words=words)
CASES["stack file calling a NUL byte"] = Bad("x = 1\0\n", where="stacks/web/stack.py",
                                             words="stack.py")

def _user_quota(cpu: str, memory: str, pods: int) -> str:
    """A Site whose one roster user has this quota."""
    return ("site = Site(name='lab', domains=site.domains, identity=Identity(users=(User("
            "name='bob', role=Role.NAMESPACE_OWNER, email='b@example.org', quota=Quota("
            f"requests_cpu={cpu!r}, requests_memory={memory!r}, limits_memory='1Gi', "
            f"pods={pods})),)))\n")


# -- the Site -------------------------------------------------------------------------------
SITE_CASES = {
    "name with a space": ("site = Site(name='bad lab', domains=site.domains)\n", "name"),
    "name in capitals": ("site = Site(name='Lab', domains=site.domains)\n", "name"),
    "internal domain with a slash": (
        "site = Site(name='lab', domains=Domains(public='example.org', "
        "internal='home/arpa'))\n", "internal"),
    "host address not an address": (
        "site = Site(name='lab', domains=site.domains, hosts=(PveHost(name='pve', cores=8, "
        "threads=16, memory='64Gi', address='ten/8'),))\n", "address"),
    "LB pool first not an address": (
        "site = Site(name='lab', domains=site.domains, lb_pool=LbPool(first='x', "
        "last='10.0.20.220', shared_ip='10.0.20.200'))\n", "first"),
    "StorageClass name in capitals": (
        "site = Site(name='lab', domains=site.domains, storage_classes=(StorageClass("
        "name='Fast'),))\n", "name"),
    "Proxmox URL not a URL": (
        "site = site.model_copy(update={'proxmox': Proxmox(url='::::')})\n", "url"),
    "public domain with a space": (
        "site = Site(name='lab', domains=Domains(public='not a domain', "
        "internal='home.arpa'))\n", "public"),
    "VM memory in words": (
        "site = Site(name='lab', domains=site.domains, vms=(Vm(id=200, name='a', cores=2, "
        "memory='64 gigs'),))\n", "memory"),
    "VM name with a slash": (
        "site = Site(name='lab', domains=site.domains, vms=(Vm(id=200, name='a/b', cores=2, "
        "memory='2Gi'),))\n", "name"),
    "VM name with a line break": (
        "site = Site(name='lab', domains=site.domains, vms=(Vm(id=200, name='a\\n', cores=2, "
        "memory='2Gi'),))\n", "name"),
    "VM id below 100": (
        "site = Site(name='lab', domains=site.domains, vms=(Vm(id=5, name='a', cores=2, "
        "memory='2Gi'),))\n", "id"),
    "NIC address past 255": (
        "site = Site(name='lab', domains=site.domains, vms=(Vm(id=200, name='a', cores=2, "
        "memory='2Gi', nics=(Nic(bridge='vmbr0', ip='10.0.0.300/24'),)),))\n", "ip"),
    "network CIDR /33": (
        "site = Site(name='lab', domains=site.domains, networks=(Network(name='lan', "
        "cidr='10.0.0.0/33'),))\n", "cidr"),
    "user quota cpu negative": (_user_quota("-1", "1Gi", 5), "requests_cpu"),
    "user quota cpu in words": (_user_quota("lots", "1Gi", 5), "requests_cpu"),
    "user quota pods negative": (_user_quota("1", "1Gi", -10), "pods"),
    "user quota memory in cores": (_user_quota("1", "500m", 1), "requests_memory"),
    "cloud-init user with a line break": (
        "site = site.model_copy(update={'proxmox': Proxmox(url='https://pve:8006', "
        "cloud_init=CloudInit(user='ops\\nroot'))})\n", "user"),
    "cloud-init key of two lines": (
        "site = site.model_copy(update={'proxmox': Proxmox(url='https://pve:8006', "
        "cloud_init=CloudInit(ssh_keys=('ssh-ed25519 AAAA a\\nssh-rsa BBBB b',)))})\n",
        "ssh_keys"),
    "cloud-init nameserver not an address": (
        "site = site.model_copy(update={'proxmox': Proxmox(url='https://pve:8006', "
        "cloud_init=CloudInit(nameservers=('dns',)))})\n", "nameservers"),
    "cloud-init search domain with a space": (
        "site = site.model_copy(update={'proxmox': Proxmox(url='https://pve:8006', "
        "cloud_init=CloudInit(search_domain='home arpa'))})\n", "search_domain"),
    "an unknown Site field": ("site = Site(name='lab', domains=site.domains, vmz=())\n",
                              "vmz"),
}
for label, (extra, words) in SITE_CASES.items():
    CASES[f"site {label}"] = _site(extra, "site.py", words)


# -- the command line (on a valid homelab): (arguments, words) --------------------------------
CLI_CASES: dict[str, tuple[tuple[str, ...], str]] = {
    "parallelism 0": (("apply", "--yes", "--parallelism", "0"), "--parallelism"),
    "parallelism -1": (("apply", "--yes", "--parallelism", "-1"), "--parallelism"),
    "parallelism 65": (("apply", "--yes", "--parallelism", "65"), "--parallelism"),
    "parallelism a word": (("apply", "--yes", "--parallelism", "many"), "--parallelism"),
    "new port 0": (("new", "api", "--port", "0"), "--port"),
    "new port 70000": (("new", "api", "--port", "70000"), "--port"),
    "new port -1": (("new", "api", "--port", "-1"), "--port"),
    "new name in capitals": (("new", "Api"), "Api"),
    "new an existing Stack": (("new", "web"), "already exists"),
    "history limit 0": (("state", "history", "--limit", "0"), "--limit"),
    "plan into a missing folder": (("plan", "-o", "{tmp}/nowhere/p.json"), "does not exist"),
    "apply a missing plan file": (("apply", "{tmp}/nowhere/p.json"), "no such saved plan"),
    "plan an unknown target": (("plan", "--target", "nope"), "--target"),
    "plan an unknown Stack": (("plan", "nope"), "nope"),
    "apply an unknown Stack": (("apply", "nope", "--yes"), "nope"),
    "destroy an unknown Stack": (("destroy", "nope", "--yes"), "nope"),
    "state show an unknown Stack": (("state", "show", "nope"), "nope"),
    "an unknown option": (("plan", "--no-such-option"), "--no-such-option"),
    "an unknown command": (("plam",), "plam"),
    "metrics file in a missing folder": (("ci", "plan", "--metrics-file", "{tmp}/nowhere/m"),
                                         "does not exist"),
}
