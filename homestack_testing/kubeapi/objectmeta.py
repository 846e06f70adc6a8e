"""ObjectMeta validation with the real server's messages: names per kind (DNS-1123
subdomain or label, DNS-1035 label for Services, path segments for RBAC), namespace
names, label and annotation keys and values, ConfigMap/Secret data keys."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .fielderrors import FieldError, invalid, required, too_long_bytes

LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
SUBDOMAIN_FMT = LABEL_FMT + "(\\." + LABEL_FMT + ")*"
DNS1035_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
QUALIFIED_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + QUALIFIED_FMT + ")?"
CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+"
ANNOTATIONS_LIMIT = 262144


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """validation.RegexError: the message, its examples and the regular expression."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def max_len(n: int) -> str:
    return f"must be no more than {n} characters"


def dns1123_label(value: str) -> list[str]:
    out = [max_len(63)] if len(value) > 63 else []
    if not re.fullmatch(LABEL_FMT, value):
        out.append(regex_error(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
            "or '-', and must start and end with an alphanumeric character", LABEL_FMT,
            "my-name", "123-abc"))
    return out


def dns1123_subdomain(value: str) -> list[str]:
    out = [max_len(253)] if len(value) > 253 else []
    if not re.fullmatch(SUBDOMAIN_FMT, value):
        out.append(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            "characters, '-' or '.', and must start and end with an alphanumeric character",
            SUBDOMAIN_FMT, "example.com"))
    return out


def dns1035_label(value: str) -> list[str]:
    out = [max_len(63)] if len(value) > 63 else []
    if not re.fullmatch(DNS1035_FMT, value):
        out.append(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            "start with an alphabetic character, and end with an alphanumeric character",
            DNS1035_FMT, "my-name", "abc-123"))
    return out


def path_segment(value: str) -> list[str]:
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{c}'" for c in "/%" if c in value]


def cronjob_name(value: str) -> list[str]:
    return dns1123_subdomain(value) + ([max_len(52)] if len(value) > 52 else [])


NAME_RULES = {
    ("", "Namespace"): dns1123_label,
    ("", "Service"): dns1035_label,
    ("batch", "CronJob"): cronjob_name,
    ("rbac.authorization.k8s.io", "Role"): path_segment,
    ("rbac.authorization.k8s.io", "ClusterRole"): path_segment,
    ("rbac.authorization.k8s.io", "RoleBinding"): path_segment,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): path_segment,
}


@lru_cache(maxsize=4096)
def qualified_name(value: str) -> list[str]:
    """validation.IsQualifiedName: label and annotation keys."""
    parts = value.split("/")
    if len(parts) > 2:
        return ["a qualified name " + regex_error(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and "
            "end with an alphanumeric character", QUALIFIED_FMT, "MyName", "my.name",
            "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g. "
            "'example.com/MyName')"]
    out: list[str] = []
    name = parts[-1]
    if len(parts) == 2:
        if not parts[0]:
            out.append("prefix part must be non-empty")
        else:
            out.extend("prefix part " + m for m in dns1123_subdomain(parts[0]))
    if not name:
        out.append("name part must be non-empty")
    elif len(name) > 63:
        out.append("name part " + max_len(63))
    if not re.fullmatch(QUALIFIED_FMT, name):
        out.append("name part " + regex_error(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and "
            "end with an alphanumeric character", QUALIFIED_FMT, "MyName", "my.name",
            "123-abc"))
    return out


@lru_cache(maxsize=4096)
def label_value(value: str) -> list[str]:
    out = [max_len(63)] if len(value) > 63 else []
    if not re.fullmatch(LABEL_VALUE_FMT, value):
        out.append(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, "
            "'-', '_' or '.', and must start and end with an alphanumeric character",
            LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return out


def label_errors(values: Any, path: str) -> list[FieldError]:
    if not isinstance(values, dict):
        return []
    out: list[FieldError] = []
    for key, value in values.items():
        out.extend(invalid(path, key, m) for m in qualified_name(str(key)))
        if isinstance(value, str):
            out.extend(invalid(path, value, m) for m in label_value(value))
    return out


def annotation_errors(values: Any, path: str) -> list[FieldError]:
    if not isinstance(values, dict):
        return []
    out: list[FieldError] = []
    for key in values:
        out.extend(invalid(path, key, m) for m in qualified_name(str(key).lower()))
    size = sum(len(str(k)) + len(str(v)) for k, v in values.items())
    if size > ANNOTATIONS_LIMIT:
        out.append(too_long_bytes(path, ANNOTATIONS_LIMIT))
    return out


def config_keys(values: Any, path: str) -> list[FieldError]:
    if not isinstance(values, dict):
        return []
    out: list[FieldError] = []
    for key in values:
        msgs = [max_len(253)] if len(key) > 253 else []
        if not re.fullmatch(CONFIG_KEY_FMT, key):
            msgs.append(regex_error("a valid config key must consist of alphanumeric "
                                    "characters, '-', '_' or '.'", CONFIG_KEY_FMT,
                                    "key.name", "KEY_NAME", "key-name"))
        out.extend(invalid(f"{path}[{key}]", key, m) for m in msgs)
    return out


def validate(group: str, kind: str, obj: dict[str, Any], namespaced: bool,
             custom: bool = False) -> list[FieldError]:
    """The ObjectMeta errors of obj (and of its pod template's metadata)."""
    meta = obj.get("metadata") or {}
    name = meta.get("name") or ""
    out: list[FieldError] = []
    if not name:
        out.append(required("metadata.name", "name or generateName is required"))
    else:
        rule = path_segment if custom else NAME_RULES.get((group, kind), dns1123_subdomain)
        out.extend(invalid("metadata.name", name, m) for m in rule(name))
    if namespaced and meta.get("namespace"):
        out.extend(invalid("metadata.namespace", meta["namespace"], m)
                   for m in dns1123_label(meta["namespace"]))
    out += label_errors(meta.get("labels"), "metadata.labels")
    out += annotation_errors(meta.get("annotations"), "metadata.annotations")
    for path, tpl in _templates(_dict(obj.get("spec"))):
        tmeta = _dict(tpl.get("metadata"))
        out += label_errors(tmeta.get("labels"), f"{path}.metadata.labels")
        out += annotation_errors(tmeta.get("annotations"), f"{path}.metadata.annotations")
    if not group and kind in ("ConfigMap", "Secret"):
        out += config_keys(obj.get("data"), "data")
        if kind == "ConfigMap":
            out += config_keys(obj.get("binaryData"), "binaryData")
    return out


def _templates(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    if isinstance(spec.get("template"), dict):
        out.append(("spec.template", spec["template"]))
    jspec = _dict(_dict(spec.get("jobTemplate")).get("spec"))
    if isinstance(jspec.get("template"), dict):
        out.append(("spec.jobTemplate.spec.template", jspec["template"]))
    return out


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
