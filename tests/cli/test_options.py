"""Options shared by build, plan and batch (cli/options.py): parsed, checked, made one GuideOptions."""

from __future__ import annotations

from datetime import date

import click
import pytest
from helpers import SAMPLE_ARGS

from guidebook.cli import main
from guidebook.cli.options import guide_options


@pytest.mark.parametrize("bad", ["1400", "USD=", "QQQ=1400", "USD=-3", "USD=1400@2026-13-01"])
def test_bad_rate_is_a_usage_error(runner, tmp_path, bad):
    result = runner.invoke(main, ["build", *SAMPLE_ARGS, "-o", str(tmp_path / "x.pdf"), "--rate", bad])
    assert result.exit_code == 2
    assert "--rate" in result.output
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--closed", "2026-02-30"], "'2026-02-30' is not a date like 2026-10-02"),
        (["--lang", "xx"], "unsupported language 'xx'"),
        (["--format", "b5"], "'b5' is not one of"),
    ],
)
def test_bad_values_are_usage_errors(runner, tmp_path, flags, message):
    result = runner.invoke(main, ["build", *SAMPLE_ARGS, "-o", str(tmp_path / "x.pdf"), *flags])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_a_rate_and_closed_dates_reach_the_plan(runner):
    result = runner.invoke(
        main,
        [
            "plan",
            *SAMPLE_ARGS,
            "--json",
            "--rate",
            "jpy=9.5@2026-09-01",
            "--closed",
            "2026-09-22",
            "--closed",
            "2026-09-21",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"rate_currency": "JPY"' in result.output and '"rate_date": "2026-09-01"' in result.output
    assert result.output.count('"closed": true') == 2


def test_guide_options_takes_its_parameters_out_and_checks_the_combination():
    params = {"page_format": "pocket", "closed": [date(2026, 9, 22)], "strict": True, "quiet": True}
    options = guide_options(params)
    assert (options.page_format, options.closed_dates, options.strict) == ("a6", (date(2026, 9, 22),), True)
    assert params == {"quiet": True}  # what is not a guide option stays for the command
    with pytest.raises(click.UsageError, match="A5 or A6"):
        guide_options({"page_format": "a4", "booklet": "a4"})
    assert guide_options({"rate": None}).rate is None
