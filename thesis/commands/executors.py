"""Where many briefs render: local processes, or a Dask cluster.

Both are :class:`concurrent.futures.Executor` objects, so :func:`thesis.commands.render_many.render_many`
submits, waits and collects the same way whichever runs the work. Local processes
need nothing beyond the standard library; Dask is an optional extra
(``pip install 'thesis[dask]'``) for a universe that outgrows one machine.

With Dask and no scheduler address, a local cluster of ``workers`` processes
(one thread each) is started for the run and stopped after it. With an address,
the run is submitted to that scheduler; its workers must be able to import
``thesis`` and read the project folder at the same path (a shared file system),
since they read the inputs and write the briefs themselves.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Literal

from thesis.errors import UsageError

ExecutorKind = Literal["process", "dask"]
SCHEDULER_TIMEOUT = "20s"  # how long to wait for a scheduler that does not answer


def _pool_context() -> multiprocessing.context.BaseContext:
    # forkserver where there is one: workers start from a clean, single-threaded
    # process (safe, unlike fork after threads) without re-running start-up (spawn).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


@contextmanager
def executor(kind: ExecutorKind, workers: int, scheduler: str | None = None) -> Iterator[Executor]:
    """An executor for ``workers`` renders at a time; closed, with its processes, on leaving the block."""
    if kind == "process":
        if scheduler is not None:
            raise UsageError("--scheduler goes with --executor dask", "add --executor dask, or drop --scheduler")
        from thesis.commands.render_many import worker_signals

        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=worker_signals) as pool:
            yield pool
        return
    with _dask_client(workers, scheduler) as client:
        pool = client.get_executor(pure=False)
        try:
            yield pool
        finally:
            pool.shutdown(wait=True)


@contextmanager
def _dask_client(workers: int, scheduler: str | None) -> Iterator[Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(
            "--executor dask needs Dask's distributed scheduler, which is not installed",
            "pip install 'thesis[dask]' (or pipx inject thesis 'dask[distributed]')",
        ) from None
    if scheduler is None:
        import dask

        # The workers' own stack sampling and GIL monitor cost a render-bound worker CPU it needs;
        # a cluster started for one run has no dashboard to show them on.
        dask.config.set(
            {
                "distributed.worker.profile.enabled": False,
                "distributed.admin.system-monitor.gil.enabled": False,
            }
        )
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        )
        with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(
            f"cannot reach the Dask scheduler at {scheduler}: {exc}",
            "check the address (tcp://HOST:8786) and that the scheduler is running",
        ) from None
    with client:
        yield client
