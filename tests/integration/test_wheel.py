"""The built wheel carries everything a proposal needs: installed outside the checkout, it renders one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"{cmd}: {result.stdout}\n{result.stderr}"
    return result


def test_a_wheel_installed_in_a_fresh_virtualenv_renders_a_proposal_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", dist, cwd=ROOT)
    [wheel] = dist.glob("kcity_configurator-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or "uv"
    _run(uv, "pip", "install", "--offline", "--no-deps", "--python", python, wheel, cwd=tmp_path)
    # The locked third-party packages come from this test run's environment; the package itself only from the wheel.
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "locked-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KCITY_", "PYTHON"))}
    env.update(KCITY_DATA_DIR=str(tmp_path / "data"), KCITY_CACHE_DIR=str(tmp_path / "cache"))
    where = _run(python, "-c", "import app, app.settings as s; print(app.__file__); print(s.Settings.from_env().templates_dir)",
                 cwd=work, env=env).stdout.split()
    assert all(Path(p).is_relative_to(env_dir) for p in where), where

    example = shutil.copy(ROOT / "catalog" / "examples" / "hue-smart-pin.yaml", work / "hue.yaml")
    _run(env_dir / "bin" / "kcity", "catalog", "validate", cwd=work, env=env)
    _run(env_dir / "bin" / "kcity", "proposal", example, "-o", "hue.pdf", "--lang", "ko", cwd=work, env=env)
    text = subprocess.run(["pdftotext", "-l", "3", work / "hue.pdf", "-"], capture_output=True, text=True, check=True).stdout
    assert "Hue" in text or "후에" in text
    assert (work / "hue.pdf").stat().st_size > 50_000
