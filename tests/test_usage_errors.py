"""Bad arguments and unreadable settings: a message and an exit status, never a traceback.

A value the command line can refuse on its own is a usage error (exit 2, argparse's message
naming the argument); a ``site.toml`` that cannot be read is a settings error (exit 1).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import run_cli
from support.site import article, write_site

GOOD = {"content/good.md": article("Good article")}


def assert_usage_error(result: subprocess.CompletedProcess[str], argument: str, message: str) -> None:
    assert result.returncode == 2, result.stderr
    assert f"error: argument {argument}: {message}" in result.stderr
    assert "Traceback" not in result.stderr


def assert_settings_error(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# -- arguments ---------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["70000", "65536", "-1"])
def test_serve_port_outside_0_to_65535_is_a_usage_error(tmp_path: Path, port: str) -> None:
    write_site(tmp_path, GOOD)
    result = run_cli("serve", "--site", str(tmp_path), "--port", port)
    assert_usage_error(result, "--port", f"a port is 0 to 65535 (0: any free port), not {port}")


def test_serve_port_that_is_no_number_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("serve", "--site", str(tmp_path), "--port", "eighty")
    assert_usage_error(result, "--port", "'eighty' is not a whole number")


def test_serve_on_the_last_port_when_it_is_busy_says_so(tmp_path: Path) -> None:
    write_site(tmp_path, GOOD)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 65535))
        busy.listen()
        result = run_cli("serve", "--site", str(tmp_path), "--port", "65535")
    assert result.returncode == 1
    assert "ports 65535-65535 on 127.0.0.1 are all in use; choose one with --port" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("jobs", ["0", "-3"])
def test_jobs_below_one_is_a_usage_error(tmp_path: Path, jobs: str) -> None:
    write_site(tmp_path, GOOD)
    result = run_cli("build", "--site", str(tmp_path), "--jobs", jobs)
    assert_usage_error(result, "--jobs/-j", f"at least 1 process is needed, not {jobs}")
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("command", ["build", "serve", "publish"])
def test_base_url_without_a_scheme_is_a_usage_error(tmp_path: Path, command: str) -> None:
    write_site(tmp_path, GOOD)
    result = run_cli(command, "--site", str(tmp_path), "--base-url", "example.com/archive/")
    assert_usage_error(result, "--base-url", "must be an http(s) URL with a host")


@pytest.mark.parametrize("url", ["https://", "http://[::1/", "https://example.org:99999/"])
def test_base_url_without_a_valid_host_is_a_usage_error(tmp_path: Path, url: str) -> None:
    write_site(tmp_path, GOOD)
    result = run_cli("build", "--site", str(tmp_path), "--base-url", url)
    assert_usage_error(result, "--base-url", "must be an http(s) URL")
    assert not (tmp_path / "output").exists()


def test_empty_output_folder_is_a_usage_error(tmp_path: Path) -> None:
    write_site(tmp_path, GOOD)
    result = run_cli("build", "--site", str(tmp_path), "--output", "", cwd=tmp_path)
    assert_usage_error(result, "--output", "the folder name is empty")


# -- site.toml ---------------------------------------------------------------------------------


def test_site_toml_that_is_not_utf8_is_reported_at_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    write_site(tmp_path, {**GOOD, "site.toml": b'title = "News"\n\n# Caf\xe9 edition\n'})
    result = run_cli("build", "--site", str(tmp_path))
    assert_settings_error(
        result, f"{tmp_path}/site.toml:3: not UTF-8 text (byte 0xe9 cannot be read); save the file as UTF-8"
    )
    assert not (tmp_path / "output").exists()


def test_site_toml_with_a_byte_order_mark_counts_lines_from_the_file(tmp_path: Path) -> None:
    write_site(tmp_path, {**GOOD, "site.toml": b'\xef\xbb\xbftitle = "News"\ndescription = "\xff"\n'})
    result = run_cli("build", "--site", str(tmp_path))
    assert_settings_error(result, f"{tmp_path}/site.toml:2: not UTF-8 text (byte 0xff")


def test_site_toml_that_is_not_toml_is_reported_at_its_line(tmp_path: Path) -> None:
    write_site(tmp_path, {**GOOD, "site.toml": 'title = "News"\nper_page =\n'})
    result = run_cli("build", "--site", str(tmp_path))
    assert_settings_error(result, f"{tmp_path}/site.toml:2: invalid TOML")


def test_base_url_setting_without_a_host_is_reported_at_its_line(tmp_path: Path) -> None:
    write_site(tmp_path, {**GOOD, "site.toml": 'title = "News"\nbase_url = "https://"\n'})
    result = run_cli("build", "--site", str(tmp_path))
    assert_settings_error(result, f"{tmp_path}/site.toml:2: 'base_url' must be an http(s) URL with a host")


def test_base_url_setting_that_urlsplit_rejects_is_reported_at_its_line(tmp_path: Path) -> None:
    write_site(tmp_path, {**GOOD, "site.toml": 'title = "News"\nbase_url = "http://[::1/"\n'})
    result = run_cli("build", "--site", str(tmp_path))
    assert_settings_error(result, f"{tmp_path}/site.toml:2: 'base_url' must be an http(s) URL")


def test_site_toml_that_is_a_folder_is_reported(tmp_path: Path) -> None:
    write_site(tmp_path, GOOD)
    (tmp_path / "site.toml").mkdir()
    result = run_cli("build", "--site", str(tmp_path))
    assert_settings_error(result, f"dateline: {tmp_path}/site.toml is a folder; the settings must be a file")


def test_site_toml_that_is_a_pipe_is_reported_instead_of_waiting_for_it(tmp_path: Path) -> None:
    write_site(tmp_path, GOOD)
    os.mkfifo(tmp_path / "site.toml")
    result = run_cli("check", "--site", str(tmp_path))  # run_cli's timeout fails a hang
    assert_settings_error(result, f"{tmp_path}/site.toml is not a regular file")


def test_site_toml_that_is_a_dangling_link_is_reported_not_ignored(tmp_path: Path) -> None:
    write_site(tmp_path, GOOD)
    (tmp_path / "site.toml").symlink_to(tmp_path / "moved.toml")
    result = run_cli("build", "--site", str(tmp_path))
    assert_settings_error(result, f"{tmp_path}/site.toml is not a regular file")


def test_unreadable_site_toml_is_reported(tmp_path: Path) -> None:
    # Reading /proc/self/mem from its start fails with EIO even for root, for whom a chmod
    # would not make a file unreadable.
    write_site(tmp_path, GOOD)
    (tmp_path / "site.toml").symlink_to("/proc/self/mem")
    result = run_cli("build", "--site", str(tmp_path))
    assert_settings_error(result, f"dateline: {tmp_path}/site.toml: cannot read it: Input/output error")


def test_empty_serve_host_is_a_usage_error_not_every_interface(tmp_path: Path) -> None:
    write_site(tmp_path, GOOD)
    command = [
        sys.executable,
        "-m",
        "generator",
        "serve",
        "--site",
        str(tmp_path),
        "--host",
        "",
        "--port",
        "0",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)  # it used to serve
    assert_usage_error(result, "--host", "the host is empty; 127.0.0.1 serves this machine only")
