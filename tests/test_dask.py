"""``thesis render --executor dask``: the same briefs, failures and cache as ``--jobs``, on a Dask cluster."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.builders import write_project
from thesis.cli import cli

pytest.importorskip("distributed", reason="the dask extra is not installed: pip install 'thesis[dask]'")

AS_OF = "2025-09-30"
COMPANIES = ("acme", "beta", "gamma")


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for company in COMPANIES:
        write_project(tmp_path, company=company)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["render", *args, "--as-of", AS_OF])


def briefs(root: Path) -> dict[str, bytes]:
    build = root / "build"
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob(f"*-{AS_OF}.*"))}


def test_a_local_dask_cluster_renders_the_same_bytes_as_local_processes(desk: Path) -> None:
    processes = run("--all", "--jobs", "2")
    assert processes.exit_code == 0, processes.output
    expected = briefs(desk)
    assert len(expected) == 3 * len(COMPANIES)  # html, pdf and json of each
    shutil.rmtree(desk / "build")

    dask = run("--all", "--jobs", "2", "--executor", "dask")
    assert dask.exit_code == 0, dask.output
    assert "3 briefs as of 2025-09-30: 3 rendered, 0 unchanged, 0 failed" in dask.output
    assert briefs(desk) == expected

    again = run("--all", "--jobs", "2", "--executor", "dask")
    assert "0 rendered, 3 unchanged, 0 failed" in again.output, "the render cache works the same way"


def test_a_failing_company_fails_alone_and_the_exit_code_says_so(desk: Path) -> None:
    (desk / "inputs/beta/company.yaml").write_text("company:\n  name: [\n", encoding="utf-8")
    result = run("--all", "--jobs", "2", "--executor", "dask", "--format", "html")
    assert result.exit_code == 1
    assert "3 briefs as of 2025-09-30: 2 rendered, 0 unchanged, 1 failed" in result.output
    assert "beta failed:\n  inputs/beta/company.yaml:" in result.output and "YAML syntax error" in result.output
    assert (desk / "build/acme").is_dir() and not (desk / "build/beta").exists()


def test_briefs_go_to_the_scheduler_named(desk: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None, silence_logs=40) as cluster:
        result = run("--all", "--format", "html", "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    assert all((desk / "build" / company / AS_OF / f"{company}-{AS_OF}.html").is_file() for company in COMPANIES)


def test_scheduler_without_dask_is_a_usage_error(desk: Path) -> None:
    result = run("--all", "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2 and "--scheduler goes with --executor dask" in result.output


def test_an_unreachable_scheduler_is_one_clear_message(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("thesis.commands.executors.SCHEDULER_TIMEOUT", "1s")
    result = run("--all", "--format", "html", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output and not (desk / "build").exists()
