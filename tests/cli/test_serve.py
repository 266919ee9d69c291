"""guidebook serve (cli/serve.py): its options become ServeSettings; a public address without a
token is a usage error before anything starts; the token may come from GUIDEBOOK_TOKEN."""

from __future__ import annotations

from unittest import mock

from helpers import SAMPLES

from guidebook.cli import main

TOKEN = "a-long-enough-access-token-0123456789"


def test_serve_is_a_command_with_help(runner):
    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--token" in result.output and "GUIDEBOOK_TOKEN" in result.output


def test_another_address_without_a_token_refuses_to_start(runner, tmp_path):
    with mock.patch("guidebook.serve.app.run", autospec=True) as run:
        result = runner.invoke(
            main, ["serve", "--host", "0.0.0.0", "--data", str(tmp_path)], env={"GUIDEBOOK_TOKEN": ""}
        )
    assert result.exit_code == 2 and "access token" in result.output and not run.called


def test_the_options_and_the_token_from_the_environment_reach_the_server(runner, tmp_path):
    args = [
        "serve",
        "--host",
        "0.0.0.0",
        "--port",
        "9000",
        "--data",
        str(tmp_path),
        "--clinics",
        str(SAMPLES / "clinics.yaml"),
    ]
    args += [
        "--workers",
        "1",
        "-j",
        "2",
        "--queue",
        "3",
        "--timeout",
        "30",
        "--keep-days",
        "7",
        "--max-upload",
        "5",
    ]
    with mock.patch("guidebook.serve.app.run", autospec=True) as run:
        result = runner.invoke(main, args, env={"GUIDEBOOK_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    [settings] = run.call_args.args
    assert (settings.host, settings.port, settings.data, settings.token) == ("0.0.0.0", 9000, tmp_path, TOKEN)
    assert (settings.workers, settings.jobs, settings.queue, settings.timeout) == (1, 2, 3, 30)
    assert (
        settings.keep_days == 7
        and settings.max_upload == 5 << 20
        and settings.clinics == SAMPLES / "clinics.yaml"
    )


def test_a_bad_clinics_file_is_reported_before_the_server_starts(runner, tmp_path):
    clinics = tmp_path / "clinics.yaml"
    clinics.write_text("clinics:\n  - id: Bad Id\n", encoding="utf-8")
    with mock.patch("guidebook.serve.app.run", autospec=True) as run:
        result = runner.invoke(main, ["serve", "--data", str(tmp_path / "d"), "--clinics", str(clinics)])
    assert result.exit_code == 1 and "clinics.yaml" in result.output and not run.called
