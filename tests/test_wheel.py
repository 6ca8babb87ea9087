"""The package as a new analyst gets it: a wheel, installed outside the repository, renders a project of its own.

How the virtualenv is made, so that the test runs offline in a minute or less:

- The wheel is built with ``pip wheel --no-deps`` from a copy of the package's files (``thesis/``,
  ``pyproject.toml``, ``README.md``), so building never writes ``build/`` or ``*.egg-info`` into the checkout.
  pip's isolated build fetches setuptools from the configured index (or its cache).
- The virtualenv is created ``--without-pip`` (a fraction of a second), and the wheel is installed into it by
  this interpreter's pip (``pip --python VENV/bin/python install --no-deps --no-index``), as pipx does.
- The dependencies are not downloaded again: a ``.pth`` file in the virtualenv adds this interpreter's
  site-packages after the virtualenv's own. A ``.pth`` line adds a folder to ``sys.path`` without running the
  ``.pth`` files inside it, so the editable install of this checkout stays invisible; the test checks that
  ``thesis`` is imported from the virtualenv.
- Every command runs with ``PYTHONPATH`` removed and from a folder outside the repository.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pypdf
from PIL import Image

from tests.builders import write_project

ROOT = Path(__file__).resolve().parent.parent
DESK = "Example Capital research"
DISCLAIMER = "Prepared for Example Capital's investment committee; not for distribution."


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build_wheel(tmp_path: Path, env: dict[str, str]) -> Path:
    source = tmp_path / "source"
    shutil.copytree(ROOT / "thesis", source / "thesis", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(dist)], tmp_path, env)
    (wheel,) = dist.glob("thesis-*.whl")
    return wheel


def make_virtualenv(tmp_path: Path, wheel: Path, env: dict[str, str]) -> Path:
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, env)
    shared = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(purelib.strip()) / "zz-shared-dependencies.pth").write_text("\n".join(shared) + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q"]
    run([*pip, str(wheel)], tmp_path, env)
    return venv


def png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 16), (20, 60, 140)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_installed_wheel_renders_a_project_made_by_init_from_a_subfolder(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "PYTHONHOME"}}
    wheel = build_wheel(tmp_path, env)
    venv = make_virtualenv(tmp_path, wheel, env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    thesis = str(venv / "bin" / "thesis")
    home = tmp_path / "home"
    home.mkdir()

    imported = run([str(venv / "bin" / "python"), "-c", "import thesis; print(thesis.__file__)"], home, env)
    assert Path(imported.strip()).is_relative_to(venv), imported

    run([thesis, "init", "research", "--desk", DESK], home, env)
    project = home / "research"
    settings = project / "thesis.yaml"
    text = settings.read_text(encoding="utf-8")
    assert 'disclaimer: "For discussion only. Not investment advice."' in text
    text = text.replace('"For discussion only. Not investment advice."', f'"{DISCLAIMER}"')
    settings.write_text(text + "logo: assets/logo.png\n", encoding="utf-8")
    (project / "assets").mkdir()
    (project / "assets/logo.png").write_bytes(png_logo())

    run([thesis, "new", "acme", "--name", "Acme Holdings", "--ticker", "ACME:NYSE"], project, env)
    # The analyst replaces the example with research of their own (check --strict refuses example text).
    assert "(replace)" in (project / "inputs/acme/company.yaml").read_text(encoding="utf-8")
    write_project(project, company="acme")
    subfolder = project / "inputs" / "acme" / "sources"
    run([thesis, "check", "acme", "--strict"], subfolder, env)
    run([thesis, "render", "acme"], subfolder, env)

    today = dt.date.today().isoformat()
    pdf = project / "build" / "acme" / today / f"acme-{today}.pdf"
    assert pdf.is_file() and not (subfolder / "build").exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Published by {DESK}." in " ".join(text.split())
    pages = text.split("\f")[:-1]
    for number, page in enumerate(pages, 1):
        assert DISCLAIMER in " ".join(page.split()), f"page {number} lacks the disclaimer"
    assert "Not investment advice" not in text
    cover = pypdf.PdfReader(pdf).pages[0]
    assert any(image.image.size == (40, 16) for image in cover.images), "the logo is not on the first page"
