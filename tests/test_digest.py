"""One digest of a company's inputs: the snapshot's inputs_sha256 and the render cache's key agree on what counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.builders import write_project
from thesis.commands.cache import render_key, tree_digest
from thesis.commands.render import prepare
from thesis.project import Project

AS_OF = dt.date(2025, 9, 30)


def test_a_linked_input_counts_by_its_contents_in_the_snapshot_and_the_render_key(tmp_path: Path) -> None:
    folder = write_project(tmp_path / "project")
    shared = folder / "desk" / "company.yaml"  # a linked input file, kept elsewhere in the company folder
    shared.parent.mkdir()
    linked = folder / "company.yaml"
    shared.write_text(linked.read_text(encoding="utf-8"), encoding="utf-8")
    linked.unlink()
    linked.symlink_to(shared)
    project = Project(tmp_path / "project")

    def state() -> tuple[str, str]:
        brief = prepare(project, "acme", AS_OF, today=AS_OF).brief
        key = render_key(project, "acme", AS_OF, formats="html", strict=False, weights=None)
        assert brief.inputs_sha256 == tree_digest(folder)
        return brief.inputs_sha256, key

    before = state()
    shared.write_text(shared.read_text(encoding="utf-8").replace("Springfield", "Shelbyville"), encoding="utf-8")
    after = state()
    assert after[0] != before[0] and after[1] != before[1]
