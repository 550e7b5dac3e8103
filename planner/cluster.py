"""The Dask cluster that sweeps and partitioned plans run their tasks on.

An existing cluster (`--scheduler tcp://host:port`) is used as it is: nothing here changes
its configuration or its workers. Otherwise the tasks run on an in-process `LocalCluster` of
single-threaded worker processes (planning is pure Python: threads would share one GIL),
started so that its start costs as little wall clock as it can:

- it starts on a thread of its own as soon as the command knows it needs one, so its
  processes come up while the client reads and validates its inputs (`LocalStart`);
- its worker processes are forked from multiprocessing's forkserver, which imports the
  planner once (`WORKER_MODULES`) beside the client's own imports; a spawned worker would
  import distributed, numpy, OR-Tools and the planner from scratch, ~2 s a worker, which on
  a demo-sized sweep costs more than the plans;
- its scheduler gives a worker its next task only when the worker is free
  (`worker-saturation: 1.0`; Dask's default 1.1 queues a second task on a busy worker of
  one thread), so tasks of uneven length balance out.

This module imports nothing heavy at the top: the forkserver starts before the client has
imported the planner.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from planner.errors import InputError, Problem

#: what a task imports, loaded once in the forkserver the workers are forked from (a module
#: missing here is imported by the first task that needs it: slower, never wrong)
WORKER_MODULES = ("distributed", "planner.sweep", "planner.partition", "planner.facts",
                  "planner.plan", "planner.planio", "planner.scenario", "planner.workspace",
                  "planner.solver.run", "planner.weights", "highspy")

#: the LocalCluster's own configuration (never applied to an existing cluster)
LOCAL_CONFIG = {"distributed.worker.multiprocessing-method": "forkserver",
                "distributed.scheduler.worker-saturation": 1.0}


def open_client(scheduler: str | None, workers: int | None) -> Any:
    """A Dask client: of the cluster at `scheduler`, used as it is, or of a new in-process
    LocalCluster with `workers` single-threaded worker processes (default: one per core)."""
    if scheduler:
        from distributed import Client

        try:
            _probe(scheduler)
            return Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InputError([Problem("--scheduler", None, None, "scheduler",
                                      f"no Dask scheduler answers at {scheduler}: {exc}")]) \
                from None
    return LocalStart(workers).client()


def close_client(client: Any, scheduler: str | None) -> None:
    """Close the client, and the cluster too if it is the in-process one."""
    cluster = client.cluster if not scheduler else None
    client.close()
    if cluster is not None:
        cluster.close()


def start_local(scheduler: str | None, workers: int | None) -> LocalStart | None:
    """Start the in-process LocalCluster now if the command will need one (`workers` is
    not 0 and no `--scheduler`), so that it comes up while the command does its own work."""
    return LocalStart(workers) if workers != 0 and not scheduler else None


def start_for_partitions(scenario: Any, scheduler: str | None,
                         workers: int | None) -> LocalStart | None:
    """`start_local` for `rotation plan` of a scenario that plans by partition (its
    `solver.partition`, read without the roster): the cluster comes up while the roster
    loads. None for any other scenario, or one that does not load (the load says why)."""
    from pathlib import Path

    from planner.scenario import load_scenario

    if workers == 0 or scheduler:
        return None
    try:
        partition = load_scenario(Path(scenario), with_roster=False).solver.partition
    except InputError:
        return None
    return LocalStart(workers) if partition != "none" else None


class LocalStart:
    """An in-process LocalCluster coming up on a thread of its own; `client()` waits for it.

    `close()` closes it (waiting for it to finish starting first) and is safe to call
    more than once."""

    def __init__(self, workers: int | None):
        self.count = workers or os.cpu_count() or 1
        self._client: Any = None
        self._error: BaseException | None = None
        self._config = dict(LOCAL_CONFIG)
        if "forkserver" in _start_methods():
            _start_forkserver()
        else:  # no forkserver on this platform: Dask's default (spawned workers)
            del self._config["distributed.worker.multiprocessing-method"]
        self._thread = threading.Thread(target=self._start, name="rotation-local-cluster",
                                        daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            import logging

            import dask
            from distributed import Client, LocalCluster

            with dask.config.set(self._config):
                cluster = LocalCluster(n_workers=self.count, threads_per_worker=1,
                                       processes=True, dashboard_address=None,
                                       scheduler_kwargs={"dashboard": False},
                                       silence_logs=logging.ERROR)
                self._client = Client(cluster)
        except BaseException as exc:  # re-raised on the caller's thread
            self._error = exc

    def client(self) -> Any:
        """The client of the started cluster, its workers up."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._client

    def close(self) -> None:
        self._thread.join()
        client, self._client = self._client, None
        if client is not None:
            close_client(client, None)


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def _start_forkserver() -> None:
    """Start multiprocessing's forkserver with the planner preloaded (its imports run in
    that process, beside the client's); Dask's nannies fork the workers from it.

    It starts with the environment Dask's nanny gives a spawned worker before it starts
    (`distributed.nanny.pre-spawn-environ`: one BLAS thread, the malloc trim threshold,
    a fixed hash seed), since a forked worker inherits the forkserver's. A forkserver
    already running (an earlier cluster of this process) is reused."""
    import multiprocessing
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_MODULES))
    changed = {k: v for k, v in _pre_spawn_environ().items() if os.environ.get(k) != v}
    before = {k: os.environ.get(k) for k in changed}
    try:
        os.environ.update(changed)
        forkserver.ensure_running()
    finally:  # this process keeps its own environment
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _pre_spawn_environ() -> dict[str, str]:
    """Dask's `distributed.nanny.pre-spawn-environ` defaults (read from distributed's own
    configuration file, without importing distributed), the environment winning as in
    Dask, and the hash seed Dask's nanny sets."""
    import importlib.util

    import yaml

    spec = importlib.util.find_spec("distributed")
    environ: dict[str, Any] = {}
    if spec is not None and spec.origin is not None:
        path = os.path.join(os.path.dirname(spec.origin), "distributed.yaml")
        with open(path, encoding="utf-8") as file:
            defaults = yaml.safe_load(file) or {}
        environ = defaults.get("distributed", {}).get("nanny", {}).get("pre-spawn-environ", {})
    chosen = {k: os.environ.get(k, str(v)) for k, v in environ.items() if v is not None}
    if os.environ.get("PYTHONHASHSEED") in (None, "0"):
        chosen["PYTHONHASHSEED"] = "6640"  # as distributed.nanny.Nanny does
    return chosen


def _probe(address: str) -> None:
    """Fail at once when nothing listens at a tcp:// address (the client would wait)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        socket.create_connection((parts.hostname, parts.port), timeout=10).close()
