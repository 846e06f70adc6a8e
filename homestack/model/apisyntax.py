"""Kubernetes name, label and port syntax, checked the way kube-apiserver checks it.

Each ``check_*`` function returns why a value is invalid, or "" when it is valid, so callers can
name the field (``metadata.labels["app x"]``) in their own message. The rules and limits are the
apiserver's (``k8s.io/apimachinery/pkg/util/validation``): DNS-1123 labels (63) and subdomains
(253), DNS-1035 labels for Services, qualified names for label and annotation keys, label values
(63), IANA service names for named ports, port numbers 1..65535.
"""

from __future__ import annotations

import re

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL = re.compile(rf"^{_LABEL}$")
_DNS1123_SUBDOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_IANA_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")

LABEL_MAX = 63
SUBDOMAIN_MAX = 253
PORT_NAME_MAX = 15

# Namespaces the cluster itself creates and relies on: a Stack that declared one would own it,
# and removing that Stack would prune it.
CLUSTER_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease", "default"})


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _matched(value: object, limit: int, pattern: re.Pattern[str], what: str) -> str:
    """Why ``value`` is not a string of at most ``limit`` characters matching ``pattern``."""
    text = _text(value)
    if text is None:
        return f"must be a string, not {type(value).__name__}"
    if len(text) > limit:
        return f"must be at most {limit} characters (has {len(text)})"
    return "" if pattern.fullmatch(text) else f"must be {what}"


def check_dns_label(value: object) -> str:
    """Why ``value`` is not a DNS-1123 label (Namespace names, container names), or ""."""
    return _matched(value, LABEL_MAX, _DNS1123_LABEL,
                    "a DNS label: lowercase letters, digits and '-', starting and ending with a "
                    "letter or digit")


def check_service_name(value: object) -> str:
    """Why ``value`` is not a DNS-1035 label (Service names start with a letter), or ""."""
    return _matched(value, LABEL_MAX, _DNS1035_LABEL,
                    "a DNS-1035 label: lowercase letters, digits and '-', starting with a letter")


def check_subdomain(value: object) -> str:
    """Why ``value`` is not a DNS-1123 subdomain (most object names), or ""."""
    return _matched(value, SUBDOMAIN_MAX, _DNS1123_SUBDOMAIN,
                    "a DNS subdomain: lowercase letters, digits, '-' and '.'")


def check_path_segment(value: object) -> str:
    """Why ``value`` cannot be a name in a URL path (RBAC names allow ':'), or ""."""
    text = _text(value)
    if text is None:
        return f"must be a string, not {type(value).__name__}"
    if not text or text in (".", "..") or "/" in text or "%" in text:
        return "must not be empty, '.' or '..', nor contain '/' or '%'"
    if len(text) > SUBDOMAIN_MAX:
        return f"must be at most {SUBDOMAIN_MAX} characters (has {len(text)})"
    return ""


def check_qualified_name(value: object) -> str:
    """Why ``value`` is not a label or annotation key (``[prefix/]name``), or ""."""
    text = _text(value)
    if text is None:
        return f"must be a string, not {type(value).__name__}"
    prefix, slash, name = text.rpartition("/")
    if slash:
        if not prefix or check_subdomain(prefix):
            return f"prefix {prefix!r} must be a DNS subdomain"
    if not name or len(name) > LABEL_MAX or not _QUALIFIED_NAME.fullmatch(name):
        return (f"name part {name!r} must be 1-{LABEL_MAX} letters, digits, '-', '_' or '.', "
                "starting and ending with a letter or digit")
    return ""


def check_label_value(value: object) -> str:
    """Why ``value`` is not a label value (empty, or up to 63 name characters), or ""."""
    text = _text(value)
    if text is None:
        return f"must be a string, not {type(value).__name__} (quote it)"
    if len(text) > LABEL_MAX:
        return f"must be at most {LABEL_MAX} characters (has {len(text)})"
    if text and not _QUALIFIED_NAME.fullmatch(text):
        return ("must be letters, digits, '-', '_' or '.', starting and ending with a letter or "
                "digit")
    return ""


def check_port_number(value: object, *, zero_allowed: bool = False) -> str:
    """Why ``value`` is not a port number 1..65535 (0 too when it means "unset"), or ""."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a number, not {type(value).__name__}"
    low = 0 if zero_allowed else 1
    if not low <= value <= 65535:
        return f"must be between {low} and 65535"
    return ""


def check_port_name(value: object) -> str:
    """Why ``value`` is not an IANA service name (named ports), or ""."""
    text = _text(value)
    if text is None:
        return f"must be a string, not {type(value).__name__}"
    if not text or len(text) > PORT_NAME_MAX:
        return f"must be 1-{PORT_NAME_MAX} characters"
    if not _IANA_NAME.fullmatch(text) or "--" in text or not re.search("[a-z]", text):
        return "must be lowercase letters, digits and '-' with at least one letter, no '--'"
    return ""
