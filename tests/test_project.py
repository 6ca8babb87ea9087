"""A research project of one's own: ``thesis init``, finding the project, ``thesis.yaml``, template overrides."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from tests.builders import base_inputs, write_project
from thesis.cli import cli
from thesis.commands.cache import render_key
from thesis.commands.init import editor_settings, init_project
from thesis.commands.render import prepare
from thesis.errors import InputError, RenderError, UsageError
from thesis.inputs.project_file import load_project_file
from thesis.inputs.reference import reference_markdown
from thesis.inputs.schema import MODELINE_PREFIX, project_schema_json, schema_json
from thesis.project import Project, package_templates
from thesis.render.brief import render_html

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 9, 30)
DESK = "Example Capital research"
DISCLAIMER = "Internal research for Example Capital clients only."


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 6), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


# thesis init


def test_init_writes_a_whole_project_whose_files_point_at_each_other(tmp_path: Path) -> None:
    root = tmp_path / "research"
    result = invoke("init", str(root), "--desk", DESK)
    assert result.exit_code == 0, result.output
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert names == [
        ".gitignore",
        ".vscode/extensions.json",
        ".vscode/settings.json",
        "docs/inputs.md",
        "docs/thesis-project.schema.json",
        "docs/thesis.schema.json",
        "inputs/README.md",
        "thesis.yaml",
    ]
    assert "/build/" in (root / ".gitignore").read_text().splitlines()
    assert (root / "docs/thesis.schema.json").read_text() == schema_json()
    assert (root / "docs/thesis-project.schema.json").read_text() == project_schema_json()
    # The field reference the comments point to is in the project, as the repository's: a wheel has no docs/.
    assert (root / "docs/inputs.md").read_text() == reference_markdown() == (ROOT / "docs/inputs.md").read_text()
    assert "docs/inputs.md here" in (root / "thesis.yaml").read_text()
    assert "thesis repository" not in (root / "thesis.yaml").read_text()
    settings = json.loads((root / ".vscode/settings.json").read_text())
    for schema_file in settings["yaml.schemas"]:
        assert (root / schema_file).is_file(), schema_file
    assert json.loads((root / ".vscode/extensions.json").read_text())["recommendations"] == ["redhat.vscode-yaml"]
    first = (root / "thesis.yaml").read_text().splitlines()[0]
    assert first.startswith(MODELINE_PREFIX)
    assert (root / first.removeprefix(MODELINE_PREFIX)).resolve() == (root / "docs/thesis-project.schema.json")
    assert load_project_file(root).file.desk == DESK


def test_this_repository_is_a_project_with_the_editor_settings_init_writes() -> None:
    assert load_project_file(ROOT).file.desk == "Thesis research desk"
    assert json.loads((ROOT / ".vscode/settings.json").read_text()) == editor_settings()


def test_init_refuses_an_existing_project_and_changes_nothing(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path / "p")).exit_code == 0
    (tmp_path / "p/thesis.yaml").write_text("desk: Mine\n")
    before = {p: p.read_bytes() for p in (tmp_path / "p").rglob("*") if p.is_file()}
    again = invoke("init", str(tmp_path / "p"), "--desk", "Other")
    assert again.exit_code == 2
    assert "already a thesis project" in again.output and "Traceback" not in again.output
    assert {p: p.read_bytes() for p in (tmp_path / "p").rglob("*") if p.is_file()} == before


def test_init_in_an_existing_folder_keeps_what_is_there_and_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert invoke("init", str(tmp_path)).exit_code == 0
    assert (tmp_path / "notes.txt").read_text() == "mine"

    clash = tmp_path / "other"
    clash.mkdir()
    (clash / ".gitignore").write_text("*.log\n")
    result = invoke("init", str(clash))
    assert result.exit_code == 2 and ".gitignore" in result.output and "nothing was written" in result.output
    assert sorted(p.name for p in clash.iterdir()) == [".gitignore"]


def test_init_writes_nothing_when_a_write_fails(tmp_path: Path) -> None:
    (tmp_path / "docs").write_text("a file where init wants a folder")
    with pytest.raises(UsageError, match="nothing was written"):
        init_project(tmp_path, DESK)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


# Finding the project


def test_commands_find_the_project_from_any_subfolder_and_write_to_its_build(tmp_path: Path) -> None:
    write_project(tmp_path)
    deep = tmp_path / "inputs/acme/sources"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(deep)
        result = invoke("render", "acme", "--as-of", "2025-09-30", "--format", "html")
        checked = invoke("check", "acme")
    assert result.exit_code == 0, result.output
    assert checked.exit_code == 0, checked.output
    assert (tmp_path / "build/acme/2025-09-30/acme-2025-09-30.html").is_file()
    assert not (deep / "build").exists()


def test_outside_any_project_one_message_names_thesis_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["render", "acme"], ["check", "acme"], ["list"], ["new", "x", "--name", "X", "--ticker", "X:Y"]):
        result = invoke(*args)
        assert result.exit_code == 2, args
        assert "not inside a thesis project" in result.output and "thesis init" in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "inputs").exists()


def test_project_option_overrides_the_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path / "desk")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke("--project", str(tmp_path / "desk"), "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [entry["company"] for entry in json.loads(result.output)] == ["acme"]
    missing = invoke("--project", str(elsewhere), "list")
    assert missing.exit_code == 2 and "no thesis.yaml" in missing.output and "thesis init" in missing.output


def test_two_snapshots_compare_as_text_outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from thesis.outputs.snapshot import dumps, snapshot

    write_project(tmp_path / "desk")
    data = dumps(snapshot(prepare(Project(tmp_path / "desk"), "acme", AS_OF).brief))
    (tmp_path / "a.json").write_text(data)
    (tmp_path / "b.json").write_text(data)
    monkeypatch.chdir(tmp_path)
    result = invoke("diff", "a.json", "b.json")
    assert result.exit_code == 0, result.output
    as_html = invoke("diff", "a.json", "b.json", "--format", "html")
    assert as_html.exit_code == 2 and "not inside a thesis project" in as_html.output


# thesis.yaml


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dsk: Acme\n", r"thesis\.yaml:1 dsk: unknown field 'dsk'\n    fix: did you mean 'desk'\?"),
        ("desk: Acme\nlogo: ../logo.png\n", r"thesis\.yaml:2 logo: logo '\.\./logo\.png' is outside the project"),
        ("logo: logo.gif\n", r"thesis\.yaml:1 logo: logo 'logo\.gif' is not a PNG or SVG file"),
        ("logo: assets/logo.png\n", r"thesis\.yaml:1 logo: logo 'assets/logo\.png' does not exist"),
        (
            "scoring:\n  category_weights:\n    cloud: -1\n",
            r"thesis\.yaml:3 scoring\.category_weights\.cloud: .*greater than or equal to 0",
        ),
        ("disclaimer: ''\n", r"thesis\.yaml:1 disclaimer: "),
        ("- desk\n", r"thesis\.yaml:1: .*mapping"),
    ],
)
def test_a_bad_project_file_is_a_located_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    write_project(tmp_path)
    (tmp_path / "thesis.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "acme")
    assert result.exit_code == 2, result.output
    assert re.search(expected, result.output), result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n  # and another\n"])
def test_an_empty_project_file_keeps_every_default(tmp_path: Path, text: str) -> None:
    (tmp_path / "thesis.yaml").write_text(text)
    settings = load_project_file(tmp_path)
    assert settings.file.desk is None and settings.file.disclaimer == "For discussion only. Not investment advice."
    assert settings.logo is None and settings.file.scoring is None


def test_a_logo_that_is_not_what_its_name_says_is_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_text("<svg/>")
    (tmp_path / "thesis.yaml").write_text("logo: logo.png\n")
    with pytest.raises(InputError, match="1 problem") as caught:
        load_project_file(tmp_path)
    assert "is not a PNG image" in caught.value.format()


def test_desk_disclaimer_and_logo_appear_in_the_html_brief(tmp_path: Path) -> None:
    write_project(tmp_path)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/logo.png").write_bytes(png_bytes())
    (tmp_path / "thesis.yaml").write_text(f"desk: {DESK}\ndisclaimer: {DISCLAIMER}\nlogo: assets/logo.png\n")
    project = Project(tmp_path)
    html = render_html(project, prepare(project, "acme", AS_OF).brief)
    assert html.count(DISCLAIMER) == 3  # the PDF's running footer, the HTML footer and the About section
    assert "Not investment advice" not in html
    assert '<span class="house"><img class="logo" src="data:image/png;base64,' in html
    assert f"{DESK}</span>" in html and f"Published by {DESK}." in html


def test_the_project_scoring_lies_beneath_the_company_block_and_weights(tmp_path: Path) -> None:
    inputs = base_inputs()
    write_project(tmp_path / "plain", inputs)
    (tmp_path / "plain/thesis.yaml").write_text("scoring:\n  category_weights: {cloud: 3.0, capital: 0.5}\n")
    inputs["scoring"] = {"scoring": {"category_weights": {"cloud": 2.0}}}
    write_project(tmp_path / "company", inputs)
    (tmp_path / "company/thesis.yaml").write_text("scoring:\n  category_weights: {cloud: 3.0, capital: 0.5}\n")
    weights = tmp_path / "w.yaml"
    weights.write_text("category_weights: {cloud: 1.5}\n")

    from_project = prepare(Project(tmp_path / "plain"), "acme", AS_OF).scorecard.config
    assert (from_project.category_weight("cloud"), from_project.category_weight("capital")) == (3.0, 0.5)
    from_company = prepare(Project(tmp_path / "company"), "acme", AS_OF).scorecard.config
    assert (from_company.category_weight("cloud"), from_company.category_weight("capital")) == (2.0, 0.5)
    from_weights = prepare(Project(tmp_path / "company"), "acme", AS_OF, weights=weights).scorecard.config
    assert (from_weights.category_weight("cloud"), from_weights.category_weight("capital")) == (1.5, 0.5)


def test_the_render_key_covers_the_project_file_and_the_logo(tmp_path: Path) -> None:
    write_project(tmp_path)

    def key() -> str:
        return render_key(Project(tmp_path), "acme", AS_OF, formats="both", strict=False, weights=None)

    first = key()
    (tmp_path / "thesis.yaml").write_text("desk: Another desk\n")
    second = key()
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "thesis.yaml").write_text("desk: Another desk\nlogo: logo.svg\n")
    third = key()
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2"/>')
    assert len({first, second, third, key()}) == 4


def test_schema_prints_the_project_file_schema_on_request_and_the_inputs_by_default() -> None:
    assert invoke("schema").output == schema_json()
    project = invoke("schema", "--file", "project")
    assert project.exit_code == 0 and project.output == project_schema_json()
    assert project.output == (ROOT / "docs/thesis-project.schema.json").read_text()
    assert set(json.loads(project.output)["properties"]) == {"desk", "disclaimer", "logo", "scoring", "record"}


# Templates


def test_a_project_template_replaces_that_one_file_only(tmp_path: Path) -> None:
    write_project(tmp_path)
    (tmp_path / "templates/css").mkdir(parents=True)
    (tmp_path / "templates/_method.html.j2").write_text('<section id="method"><h2>House notes</h2></section>\n')
    (tmp_path / "templates/css/screen.css").write_text("body { color: #123456; }\n")
    project = Project(tmp_path)
    html = render_html(project, prepare(project, "acme", AS_OF).brief)
    assert "House notes" in html and "About this brief" not in html
    assert "#123456" in html
    assert "Bull case" in html  # brief.html.j2 and the other sections are the package's
    base = (package_templates() / "css/base.css").read_text()
    assert base.splitlines()[0] in html


def test_the_render_key_covers_the_templates_in_effect(tmp_path: Path) -> None:
    write_project(tmp_path)

    def key() -> str:
        return render_key(Project(tmp_path), "acme", AS_OF, formats="html", strict=False, weights=None)

    first = key()
    (tmp_path / "templates").mkdir()
    assert key() == first  # an empty folder overrides nothing
    (tmp_path / "templates/_method.html.j2").write_text("<section></section>\n")
    second = key()
    (tmp_path / "templates/_method.html.j2").write_text("<section> </section>\n")
    assert len({first, second, key()}) == 3


@pytest.mark.parametrize(
    ("template", "text", "line", "message"),
    [
        ("_cover.html.j2", "<header>\n{% if brief %}\n<h1>x</h1>\n", 3, "Unexpected end of template"),
        ("_method.html.j2", "<section>\n<p>{{ brief.titel }}</p>\n</section>\n", 2, "has no attribute 'titel'"),
        ("_method.html.j2", '<section>\n\n{% include "_nowhere.html.j2" %}\n', 3, "_nowhere.html.j2"),
        ("css/base.css", "body { color: red; }\n{{ nothing_here }}\n", 2, "'nothing_here' is undefined"),
    ],
)
def test_a_mistake_in_a_project_template_is_a_clean_render_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, text: str, line: int, message: str
) -> None:
    write_project(tmp_path)
    (tmp_path / "templates" / template).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "templates" / template).write_text(text)
    project = Project(tmp_path)
    with pytest.raises(RenderError) as caught:
        render_html(project, prepare(project, "acme", AS_OF).brief)
    assert caught.value.message.startswith(f"templates/{template}:{line}: "), caught.value.message
    assert message in caught.value.message

    monkeypatch.chdir(tmp_path)
    result = invoke("render", "acme", "--as-of", "2025-09-30", "--format", "html")
    assert result.exit_code == 1
    assert f"error: templates/{template}:{line}: " in result.output and "fix: correct templates/" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "build/acme/2025-09-30/acme-2025-09-30.html").exists()


def test_a_weasyprint_failure_is_a_render_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint import HTML

    from thesis.render.pdf import render_pdf

    def fail(*args: object, **kwargs: object) -> bytes:
        raise ValueError("bad layout")

    monkeypatch.setattr(HTML, "render", fail)  # the layout, before any PDF is written
    with pytest.raises(RenderError, match="the PDF could not be laid out: ValueError: bad layout"):
        render_pdf("<p>x</p>", package_templates(), "id", dt.datetime(2025, 1, 1, tzinfo=dt.UTC))


def test_the_templates_doc_names_every_packaged_template() -> None:
    text = (ROOT / "docs/templates.md").read_text()
    folder = package_templates()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            name = path.relative_to(folder).as_posix()
            assert f"`{name}`" in text, f"docs/templates.md: say what the template `{name}` is (and its context)"


def test_every_command_judges_the_company_scoring_over_the_project_scoring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A company may cap at a band only thesis.yaml defines; every command that loads it (check, score, quote,
    alerts, calendar) accepts it, and refuses it when thesis.yaml does not define the band (alerts lists the
    company as unreadable, exit 1; the others exit 2)."""
    inputs = base_inputs()
    inputs["scoring"] = {"scoring": {"constraint_mode": "cap", "cap_rating": "Hold"}}
    write_project(tmp_path, inputs)
    bands = "scoring:\n  bands: [{name: Sell, min: -100}, {name: Hold, min: -20}, {name: Buy, min: 20}]\n"
    (tmp_path / "thesis.yaml").write_text(bands)
    monkeypatch.chdir(tmp_path)
    commands = [
        ["check", "acme"],
        ["score", "acme", "--as-of", "2025-09-30"],
        ["quote", "acme", "cloud revenue grew 40%"],
        ["alerts", "acme", "--as-of", "2025-09-30"],
        ["calendar", "acme", "--as-of", "2025-09-30"],
    ]
    for args in commands:
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
    scored = invoke("score", "acme", "--as-of", "2025-09-30", "--format", "json")
    assert json.loads(scored.output)["rating"] in {"Sell", "Hold", "Buy"}

    (tmp_path / "thesis.yaml").write_text("desk: Plain\n")
    for args in commands:
        refused = invoke(*args)
        assert refused.exit_code in (1, 2) and "'Hold' is not one of the bands' names" in refused.output, args


def test_the_pdf_fetcher_serves_the_project_file_first_then_the_package_and_nothing_else(tmp_path: Path) -> None:
    from thesis.render.pdf import BlockedFetch, _fetcher

    project, package, outside = tmp_path / "templates", tmp_path / "package", tmp_path / "outside"
    for folder in (project, package, outside):
        (folder / "img").mkdir(parents=True)
    (project / "img/mark.svg").write_text("project's")
    (package / "img/mark.svg").write_text("package's")
    (package / "img/only.svg").write_text("package only")
    (outside / "secret.svg").write_text("secret")
    (project / "img/link.svg").symlink_to(outside / "secret.svg")
    fetcher = _fetcher((project, package))

    def body(url: str) -> bytes:
        data: bytes = fetcher.fetch(url).read()
        return data

    assert body((project / "img/mark.svg").as_uri()) == b"project's"
    assert body((project / "img/only.svg").as_uri()) == b"package only"  # relative to the base: the package's copy
    for refused in (project / "img/link.svg", outside / "secret.svg", project / "img/none.svg"):
        with pytest.raises(BlockedFetch):
            fetcher.fetch(refused.as_uri())


def test_the_diff_brief_carries_the_desk_and_its_disclaimer(tmp_path: Path) -> None:
    from thesis.diff.compare import diff_snapshots, snapshots_as_of
    from thesis.diff.output import diff_html

    write_project(tmp_path)
    (tmp_path / "thesis.yaml").write_text(f"desk: {DESK}\ndisclaimer: {DISCLAIMER}\n")
    project = Project(tmp_path)
    old, new = snapshots_as_of(project, "acme", dt.date(2025, 3, 1), AS_OF)
    html = diff_html(project, diff_snapshots(old, new), (old, new))
    assert f"{DESK} · What changed" in html and DISCLAIMER in html and "Not investment advice" not in html
