"""The wheel carries ontology/, data/ and queries/ and works from any directory."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import sistercity_kg

REPO = Path(__file__).resolve().parent.parent


def test_version_is_single_sourced() -> None:
    from importlib.metadata import version

    assert sistercity_kg.__version__ == version("sistercity-kg")


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs_summary_elsewhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    (wheel,) = dist.glob("sistercity_kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for bundled in ("ontology/sistercity.ttl", "ontology/shapes.ttl", "ontology/schemes.ttl", "data/bandung-seoul.ttl"):
        assert f"sistercity_kg/_bundled/{bundled}" in names, bundled
    assert "sistercity_kg/py.typed" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True, capture_output=True, text=True, timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [str(bin_dir / "sistercity-kg"), "summary"], cwd=elsewhere, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "Bandung City Government" in done.stdout and "Validation: conforms" in done.stdout
    module = subprocess.run(
        [str(bin_dir / "python"), "-m", "sistercity_kg", "--version"], cwd=elsewhere, capture_output=True, text=True
    )
    assert module.stdout.strip() == f"sistercity-kg {sistercity_kg.__version__}"
