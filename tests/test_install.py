"""A non-editable install (the wheel) carries the theme and renders the sample."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import ROOT, SAMPLES


@pytest.mark.slow
def test_wheel_install_renders_the_sample(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("guidebook-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import guidebook.render.theme as r; print(r.__file__); print(r.default_theme())",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout.split()
    assert str(venv) in where[0]  # the installed copy, not the checkout
    assert where[1].startswith(str(venv)) and where[1].endswith("_theme")
    out = tmp_path / "guide.pdf"
    result = subprocess.run(
        [
            str(venv / "bin" / "guidebook"),
            "build",
            str(SAMPLES / "traveler.yaml"),
            "--clinics",
            str(SAMPLES / "clinics.yaml"),
            "--brand",
            str(SAMPLES / "brand.yaml"),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower()
    assert out.read_bytes().startswith(b"%PDF-") and out.stat().st_size > 50_000
    init = subprocess.run(  # the wheel carries the sample bookings, and openpyxl reads them
        [str(venv / "bin" / "guidebook"), "init", str(tmp_path / "agency")], capture_output=True, env=env
    )
    assert init.returncode == 0, init.stderr
    for name in ("bookings.csv", "bookings.xlsx", "profiles/tanaka.yaml"):
        assert (tmp_path / "agency" / name).read_bytes() == (SAMPLES / name).read_bytes()
    checked = subprocess.run(
        [str(venv / "bin" / "guidebook"), "validate", "agency/bookings.xlsx", "agency/clinics.yaml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert checked.returncode == 0 and "ok (bookings, 3 rows)" in checked.stdout, checked.stderr
