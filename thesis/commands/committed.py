"""What each day reads in a project kept in git (``record: git`` in thesis.yaml, the default).

A day before today reads the company's inputs, with the project's
``thesis.yaml``, as committed by that day: the last commit on or before it
that changed ``inputs/COMPANY/``, or the first such commit for a day before
any (the earliest record; the working tree is later still). Today, and a day
whose commit does not load, read the working tree (uncommitted
changes count only for today). ``thesis render --as-of DAY`` reads a day so,
and ``thesis history`` and a brief's timeline chart score each day from what
a brief as of that day reads: :meth:`CommittedInputs.in_force` gives them the
inputs in force from each day on (:class:`thesis.scoring.history.InputsInForce`).

Each distinct version of the inputs (the tree of ``inputs/COMPANY/`` and the
blob of ``thesis.yaml``, named by content) is read and validated once, however
many commits and days share it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from thesis.errors import InputError, UsageError
from thesis.inputs.git_record import Commit, GitRecord, read_on, read_until
from thesis.project import PROJECT_FILE, Project
from thesis.scoring.config import ScoringConfig, ScoringOverrides
from thesis.scoring.history import Event, InputsInForce


class CommittedInputs:
    """One company's record in git, as read by briefs and history rows dated before ``today``."""

    def __init__(
        self,
        project: Project,
        company: str,
        record: GitRecord,
        commits: list[Commit],
        today: dt.date,
        weights: Path | None = None,
        working: InputsInForce | None = None,
    ) -> None:
        self.project = project
        self.company = company
        self.record = record
        self.commits = commits  # those that changed the company's inputs, oldest first (as git log lists them)
        self.today = today
        self.weights = weights
        self._overrides: ScoringOverrides | None = None
        self._version_of: dict[str, tuple[str | None, str | None]] = {}  # commit → its inputs' and settings' ids
        self._versions: dict[tuple[str | None, str | None], InputsInForce] = {}  # each version, read once
        self._working = working  # the working tree's inputs, where the caller has read them already

    @classmethod
    def of(
        cls,
        project: Project,
        company: str,
        today: dt.date,
        weights: Path | None = None,
        working: InputsInForce | None = None,
    ) -> CommittedInputs | None:
        """The company's record when the project reads one (``record: git``, kept in git, with a commit to
        the company's inputs); else None, and every day reads the working tree."""
        if project.settings.file.record != "git":
            return None
        try:
            record = GitRecord(project.root)
        except UsageError:
            return None
        commits = record.commits(f"inputs/{company}")
        return cls(project, company, record, commits, today, weights, working) if commits else None

    def commit_on(self, day: dt.date) -> Commit | None:
        """The commit a brief as of ``day`` reads (:func:`~thesis.inputs.git_record.read_on`); None: the working
        tree."""
        return read_on(self.commits, day, self.today)

    def in_force(self, until: dt.date, since: dt.date | None = None) -> list[InputsInForce]:
        """The inputs each day up to ``until`` reads, oldest first, for
        :func:`~thesis.scoring.history.score_history`, each with the commits of the day it starts on as its
        events; with ``since``, none that ended before the day before it."""
        starts = sorted({commit.date for commit in read_until(self.commits, until, self.today)})
        read: list[tuple[dt.date, Commit | None]] = [(dt.date.min, self.commit_on(dt.date.min))]
        read += [(start, self.commit_on(start)) for start in starts]
        if until >= self.today:
            read.append((self.today, None))
        if since is not None:
            needed = since - dt.timedelta(days=1)  # the day a history's first change is measured from
            later = [index for index, (start, _) in enumerate(read) if start <= needed]
            read = read[later[-1] :] if later else read
        return [self._entry(start, commit) for start, commit in read]

    def _entry(self, start: dt.date, commit: Commit | None) -> InputsInForce:
        committed = self._read(commit) if commit is not None else None
        entry = committed or self.working()
        events = tuple(
            Event(
                made.date,
                "commit",
                made.short,
                f"commit {made.short}: {made.message}"
                + (" (does not load: the working tree stands in)" if made is commit and committed is None else ""),
            )
            for made in self.commits
            if made.date == start
        )
        return InputsInForce(start, entry.thesis, entry.config, events)

    def working(self) -> InputsInForce:
        """The working tree's inputs (``thesis`` None when they do not load), read once."""
        if self._working is None:
            self._working = self._load(self.project) or InputsInForce(dt.date.min, None, ScoringConfig())
        return self._working

    def _read(self, commit: Commit) -> InputsInForce | None:
        """The inputs as committed at ``commit``, or None when they do not load (the working tree stands in)."""
        from thesis.commands.log import inputs_at

        if commit.sha not in self._version_of:  # every commit's version at once, through one git process
            ids = self.record.object_ids([c.sha for c in self.commits], (f"inputs/{self.company}", PROJECT_FILE))
            self._version_of.update({sha: (found[0], found[1]) for sha, found in ids.items()})
        version = self._version_of[commit.sha]
        if version not in self._versions:
            with inputs_at(self.record, self.company, commit.sha) as at_commit:
                loaded = self._load(at_commit) if at_commit is not None else None
            self._versions[version] = loaded or InputsInForce(dt.date.min, None, ScoringConfig())
        found = self._versions[version]
        return found if found.thesis is not None else None

    def _load(self, project: Project) -> InputsInForce | None:
        """Read ``project``'s inputs as :func:`thesis.commands.render.prepare_dates` does, or None when a brief
        could not be made from them."""
        from thesis.commands.render import read_weights, scoring_config
        from thesis.errors import display_path
        from thesis.inputs.loader import load_company
        from thesis.inputs.prices import read_company_prices

        try:
            loaded = load_company(project, self.company, self.today)
            if self.weights is not None and self._overrides is None:
                self._overrides = read_weights(self.weights)
            config = scoring_config(loaded, self._overrides, self.weights)
            folder = project.company_dir(self.company)
            info = loaded.thesis.company
            read_company_prices(folder, display_path(folder, project.root), info.currency, info.benchmark)
        except InputError:
            return None
        return InputsInForce(dt.date.min, loaded.thesis, config)
