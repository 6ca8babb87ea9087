"""Render many companies' briefs: skip the unchanged ones, spread the rest over processes or a Dask cluster.

Each company is its own unit of work: one that fails is reported with its
message and the others still render. Unchanged briefs are found first, in this
process, from their content-hash keys (:mod:`thesis.commands.cache`), without importing
the rendering stack; only briefs that need work are handed to workers.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from thesis.commands.cache import GitInputs, git_inputs, lookup, record_path, render_key, templates_digest
from thesis.commands.executors import ExecutorKind, executor
from thesis.errors import Interrupted, Problem, ThesisError, os_error_cause, raise_on_sigterm
from thesis.outputs.files import remove_stale_temporaries
from thesis.project import Project

Status = Literal["rendered", "skipped", "failed"]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOP_SECONDS = 10  # how long a stopped worker has to remove its temporaries before it is killed


@dataclass(frozen=True)
class RenderJob:
    """One brief to render; plain data, so it can be sent to a worker process."""

    project: Project
    company: str
    as_of: dt.date
    formats: str = "both"
    strict: bool = False
    weights: Path | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one company's brief."""

    company: str
    status: Status
    paths: tuple[Path, ...] = ()
    score: float = 0.0
    rating: str = ""
    warnings: tuple[Problem, ...] = ()
    error: str = ""  # the failure's message, as the command line would print it


def render_job(job: RenderJob) -> Outcome:
    """Render one brief; any failure becomes a failed :class:`Outcome` instead of an exception."""
    try:
        from thesis.commands.render import render

        result = render(
            job.project, job.company, job.as_of, formats=job.formats, strict=job.strict, weights=job.weights
        )
    except ThesisError as exc:
        return Outcome(job.company, "failed", error=exc.format())
    except OSError as exc:  # a fault no core function worded
        cause, hint = os_error_cause(exc)
        where = f" {exc.filename}" if exc.filename is not None else ""
        return Outcome(job.company, "failed", error=f"error:{where}: {cause}\n  fix: {hint}")
    except Exception:  # a bug while rendering one company must not stop the others
        return Outcome(job.company, "failed", error=f"error: unexpected failure\n{traceback.format_exc().rstrip()}")
    return Outcome(job.company, "rendered", tuple(result.paths), result.score, result.rating, tuple(result.warnings))


def render_in_worker(job: RenderJob) -> Outcome:
    """:func:`render_job` in a worker process: on SIGTERM the render stops (its temporaries are removed
    as the interruption unwinds the atomic write) and the process exits at once, taking no further job."""
    try:
        return render_job(job)
    except Interrupted as stop:
        os._exit(stop.exit_code)


def worker_signals() -> None:
    """In each worker process: Ctrl-C is for the parent alone (it stops the workers); SIGTERM interrupts."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise_on_sigterm()


def _stop_workers(pool: object, jobs: Sequence[RenderJob]) -> None:
    """Stop every worker now (SIGTERM, then SIGKILL for one that does not go), then remove what they left."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # a ProcessPoolExecutor's; none for Dask
    main = threading.current_thread() is threading.main_thread()
    held = {number: signal.signal(number, signal.SIG_IGN) for number in STOP_SIGNALS} if main else {}
    try:
        _terminate(processes)
        for job in jobs:  # a worker killed outright leaves its temporaries; its process is gone now
            try:
                remove_stale_temporaries(job.project.output_dir(job.company, job.as_of.isoformat()))
                remove_stale_temporaries(record_path(job.project, job.company, job.as_of).parent)
            except (OSError, ThesisError):
                continue
    finally:
        for number, handler in held.items():  # a second Ctrl-C cannot cut the clean-up short
            signal.signal(number, handler)


def _terminate(processes: list[Any]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


def unchanged(job: RenderJob, templates: str | None = None, git: GitInputs | None = None) -> Outcome | None:
    """The skipped outcome when the brief's recorded key still matches its inputs and outputs.

    A strict render that passed wrote the very files a plain one would, so it satisfies a plain
    render too (``thesis site`` after a nightly ``render --all --strict`` renders nothing again);
    a plain render never satisfies a strict one, whose checks must run.
    """
    for strict in dict.fromkeys((job.strict, True)):
        key = render_key(
            job.project,
            job.company,
            job.as_of,
            formats=job.formats,
            strict=strict,
            weights=job.weights,
            templates=templates,
            git=git,
        )
        earlier = lookup(job.project, job.company, job.as_of, key)
        if earlier is not None:
            paths, warnings = tuple(earlier.paths), tuple(earlier.warnings)
            return Outcome(job.company, "skipped", paths, earlier.score, earlier.rating, warnings)
    return None


def _input_bytes(job: RenderJob) -> int:
    """The size of a company's inputs: a cheap guess at how long its brief takes."""
    try:
        root = job.project.company_dir(job.company)
    except ThesisError:
        return 0  # its worker reports the problem
    total = 0
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                total += os.stat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total


def render_many(
    jobs: Sequence[RenderJob],
    *,
    workers: int = 1,
    force: bool = False,
    report: Callable[[Outcome], None] | None = None,
    executor_kind: ExecutorKind = "process",
    scheduler: str | None = None,
) -> list[Outcome]:
    """Render every job; return one :class:`Outcome` per job, in the order given.

    A ``--weights`` file that does not validate raises :class:`InputError`
    before anything renders. Unless ``force``, a brief whose key is unchanged is skipped. ``workers``
    above 1 renders the rest in that many processes; 1 renders them here, one
    after another. ``report`` is called with each outcome as soon as it is known.
    With ``executor_kind="dask"`` every brief that needs work goes to a Dask
    cluster (:mod:`thesis.commands.executors`): a local one of ``workers``
    processes, or the one at ``scheduler``.
    """
    for weights in sorted({job.weights for job in jobs if job.weights is not None}):
        from thesis.commands.render import read_weights

        read_weights(weights)  # a bad --weights file is one error for all, not one per company
    outcomes: dict[int, Outcome] = {}

    def done(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        if report is not None:
            report(outcome)

    pending: list[int] = []
    templates: dict[tuple[Path, ...], str] = {}  # hashed once per run, not once per company
    gits: dict[Path, GitInputs] = {}  # the git record listed once per run, not once per company
    for index, job in enumerate(jobs):
        try:
            folders = job.project.templates_dirs
            if not force and folders not in templates:
                templates[folders] = templates_digest(folders)
            if not force and job.project.root not in gits:
                gits[job.project.root] = git_inputs(job.project)
            skipped = None if force else unchanged(job, templates[folders], gits[job.project.root])
        except ThesisError as exc:
            done(index, Outcome(job.company, "failed", error=exc.format()))
            continue
        except OSError as exc:
            done(index, Outcome(job.company, "failed", error=f"error: cannot read the inputs: {exc}"))
            continue
        if skipped is not None:
            done(index, skipped)
        else:
            pending.append(index)

    if executor_kind == "process" and (workers <= 1 or len(pending) <= 1):
        for index in pending:
            done(index, render_job(jobs[index]))
    elif pending:
        # the largest theses first, so the last to finish is a small one and no worker idles long at the end
        pending.sort(key=lambda i: (-_input_bytes(jobs[i]), i))
        with executor(executor_kind, max(1, min(workers, len(pending))), scheduler) as pool:
            work = render_in_worker if executor_kind == "process" else render_job
            running: dict[Future[Outcome], int] = {pool.submit(work, jobs[i]): i for i in pending}
            try:
                while running:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        index = running.pop(future)
                        try:
                            outcome = future.result()
                        except Exception as exc:  # the worker itself died (for example killed for memory)
                            outcome = Outcome(jobs[index].company, "failed", error=f"error: its worker stopped: {exc}")
                        done(index, outcome)
            except BaseException:  # Ctrl-C or SIGTERM (or a bug): stop the workers; nothing more is written
                for future in running:
                    future.cancel()
                _stop_workers(pool, [jobs[i] for i in pending])
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    return [outcomes[index] for index in range(len(jobs))]
