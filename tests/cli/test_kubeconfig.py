"""``homestack kubeconfig USER``: an OIDC kubeconfig for a roster user, no static tokens."""

from __future__ import annotations

import stat
from pathlib import Path

import yaml
from typer.testing import CliRunner

from homestack.cli import app

ROOT = Path(__file__).resolve().parents[2] / "examples" / "reference-homelab"


def test_the_written_kubeconfig_logs_in_through_oidc(tmp_path: Path) -> None:
    target = tmp_path / "robin.kubeconfig"
    result = CliRunner().invoke(app, ["-C", str(ROOT), "kubeconfig", "robin", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    config = yaml.safe_load(target.read_text())
    assert config["kind"] == "Config" and config["current-context"] == "robin"
    (context,) = config["contexts"]
    assert context == {"name": "robin", "context": {"cluster": "reference", "user": "robin",
                                                    "namespace": "robin"}}
    (cluster,) = config["clusters"]
    assert cluster["cluster"]["server"] == "https://10.0.20.100:6443"
    (user,) = config["users"]
    exec_ = user["user"]["exec"]
    assert exec_["command"] == "kubectl"
    assert exec_["args"][:2] == ["oidc-login", "get-token"]
    assert "--oidc-issuer-url=https://auth.example.org/application/o/kubernetes/" in exec_["args"]
    assert "--oidc-client-id=kubernetes" in exec_["args"]
    assert set(user["user"]) == {"exec"}  # no token, no client key, no password
    assert "token" not in target.read_text().replace("get-token", "")


def test_a_user_without_namespaces_gets_the_default_namespace(tmp_path: Path) -> None:
    target = tmp_path / "sam.yaml"
    result = CliRunner().invoke(app, ["-C", str(ROOT), "kubeconfig", "sam", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(target.read_text())["contexts"][0]["context"]["namespace"] == "default"


def test_an_unknown_user_is_invalid_input(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    result = CliRunner().invoke(app, ["-C", str(ROOT), "kubeconfig", "nobody", "-o", str(target)])
    assert result.exit_code == 3
    assert "no user nobody" in result.output and "robin" in result.output
    assert not target.exists()
