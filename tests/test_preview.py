"""``thesis preview`` as an analyst uses it: a save shows in the open browser; bad input never stops it."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import write_project
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium

ROOT = Path(__file__).resolve().parent.parent


class Server:
    def __init__(self, process: subprocess.Popen[str], url: str, root: Path) -> None:
        self.process = process
        self.url = url
        self.root = root
        self.host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
        self.port = int(port)

    def get(self, path: str, host: str | None = None) -> tuple[int, str, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request("GET", path, headers={"Host": host} if host else {})
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type") or "", response.read()
        finally:
            connection.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    write_project(tmp_path)
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "thesis", "preview", "acme", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "serving" not in line:
        process.kill()
        pytest.fail(f"preview did not start: {line!r} {process.stderr.read() if process.stderr else ''}")
    url = line.split(" at ", 1)[1].split(" ", 1)[0]
    yield Server(process, url, tmp_path)
    if process.poll() is None:
        process.kill()
    process.communicate()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_serves_the_brief_and_nothing_else(server: Server) -> None:
    status, media_type, body = server.get("/")
    assert status == 200 and media_type.startswith("text/html")
    assert b"Fast cloud growth" in body and b'new EventSource("/events")' in body
    for path in ("/../inputs/acme/points.yaml", "/inputs/acme/points.yaml", "/build/", "/etc/passwd"):
        assert server.get(path)[0] == 404, path
    # a page elsewhere that resolved its own name to 127.0.0.1 cannot read the brief
    assert server.get("/", host="attacker.example:80")[0] == 421


def test_renders_the_pdf_on_demand(server: Server) -> None:
    status, media_type, body = server.get("/brief.pdf")
    assert status == 200 and media_type == "application/pdf" and body.startswith(b"%PDF-")


def test_ctrl_c_stops_cleanly(server: Server) -> None:
    server.process.send_signal(signal.SIGINT)
    out, err = server.process.communicate(timeout=30)
    assert server.process.returncode == 0, err
    assert out.strip().endswith("stopped") and "Traceback" not in err


@needs_chromium
def test_a_save_reloads_the_open_page_and_bad_input_never_stops_it(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    points = server.root / "inputs" / "acme" / "points.yaml"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page: Any = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(server.url)
            assert "Fast cloud growth" in page.inner_text("body")

            _edit(points, "Fast cloud growth", "Cloud growth that outpaces every rival")
            page.wait_for_function(
                "document.body.innerText.includes('Cloud growth that outpaces every rival')", timeout=20_000
            )

            good = points.read_text(encoding="utf-8")
            points.write_text(good + "points: [\n", encoding="utf-8")
            page.wait_for_function("document.body.innerText.includes('the inputs have problems')", timeout=20_000)
            problems = page.inner_text("body")
            assert "points.yaml:" in problems and "fix:" in problems

            points.write_text(good, encoding="utf-8")
            page.wait_for_function(
                "document.body.innerText.includes('Cloud growth that outpaces every rival')", timeout=20_000
            )
            assert server.process.poll() is None, "the server must survive bad input"
            assert errors == []
        finally:
            browser.close()


def test_an_unknown_company_is_a_usage_error(tmp_path: Path) -> None:
    write_project(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "thesis", "preview", "nosuch", "--port", "0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 2 and "unknown company 'nosuch'" in done.stderr and "Traceback" not in done.stderr


def test_a_save_changes_the_served_page_without_a_restart(server: Server) -> None:
    before = server.process.pid
    points = server.root / "inputs" / "acme" / "points.yaml"
    _edit(points, "Fast cloud growth", "Faster cloud growth")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and b"Faster cloud growth" not in server.get("/")[2]:
        time.sleep(0.05)
    assert b"Faster cloud growth" in server.get("/")[2]
    assert server.process.pid == before and server.process.poll() is None


def test_the_pdf_a_brief_cites_as_received_opens_from_the_preview(tmp_path: Path) -> None:
    # The bibliography's "Original as received" link; a saved web page is not served (its scripts), nor the rest.
    import shutil

    from click.testing import CliRunner

    from thesis.cli import cli

    assert CliRunner().invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    shutil.copytree(ROOT / "tests" / "fixtures" / "nordlicht", tmp_path / "inputs" / "nordlicht")
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "thesis", "preview", "nordlicht", "--port", "0", "--as-of", "2026-12-01"]
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        server = Server(process, line.split(" at ", 1)[1].split(" ", 1)[0], tmp_path)
        page = server.get("/")[2].decode()
        link = "../../../inputs/nordlicht/sources/originals/annual-report-2025.pdf"
        assert f'href="{link}"' in page
        status, media_type, body = server.get("/inputs/nordlicht/sources/originals/annual-report-2025.pdf")
        assert status == 200 and media_type == "application/pdf" and body.startswith(b"%PDF-")
        for path in ("/inputs/nordlicht/sources/originals/hiw-h1-2026.html", "/inputs/nordlicht/points.yaml"):
            assert server.get(path)[0] == 404, path
    finally:
        process.kill()
        process.communicate()
