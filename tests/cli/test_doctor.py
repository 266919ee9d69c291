"""`guidebook doctor` (cli/doctor.py): every check printed, exit 1 when something needed is missing."""

from __future__ import annotations

from unittest import mock

import pytest
from click.testing import CliRunner

from guidebook import doctor
from guidebook.cli import main


@pytest.fixture(autouse=True)
def fresh_caches():
    doctor.installed_families.cache_clear()
    doctor.render_warnings.cache_clear()
    yield
    doctor.installed_families.cache_clear()
    doctor.render_warnings.cache_clear()


def test_doctor_on_a_ready_machine(tmp_path):
    result = CliRunner().invoke(main, ["doctor", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "[ok  ] font Noto Sans CJK KR" in result.output
    assert "[ok  ] HarfBuzz subsetting" in result.output
    assert "Ready to make guides." in result.output


def test_only_a_missing_required_check_fails(runner):
    checks = [
        doctor.Check("Python", True, "3.11"),
        doctor.Check("poppler-utils", False, "missing", "apt-get install -y poppler-utils", False),
    ]
    with mock.patch.object(doctor, "run_checks", autospec=True, return_value=checks) as run:
        result = runner.invoke(main, ["doctor"])
    run.assert_called_once_with(None)
    assert result.exit_code == 0 and "[warn] poppler-utils: missing" in result.output
    checks.append(doctor.Check("fonts", False, "fc-list is missing", "apt-get install -y fontconfig"))
    with mock.patch.object(doctor, "run_checks", autospec=True, return_value=checks):
        result = runner.invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "[FAIL] fonts: fc-list is missing\n       fix: apt-get install -y fontconfig" in result.output
    assert "1 problem(s) found." in result.output


def test_doctor_forwards_a_brand_to_check(runner, tmp_path):
    from helpers import SAMPLES

    with mock.patch.object(doctor, "run_checks", autospec=True, return_value=[]) as run:
        result = runner.invoke(main, ["doctor", "--brand", str(SAMPLES / "brand.yaml")])
    assert result.exit_code == 0
    run.assert_called_once_with(None, SAMPLES / "brand.yaml")
