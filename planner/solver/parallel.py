"""A candidate pass judged on several cores: forked workers take chunks of its cadres.

Each cadre's options, refusals and counts depend on the cadre alone (the batch judge's caches
only save work: a verdict is a function of its key), so a pass's cadres are cut into
contiguous chunks, the parent and its forked workers judge the chunks (each takes the next
one not taken, so a slow chunk does not hold the others up), and the parent merges the
chunks' results in cadre order: the same candidate set as one serial chunk, whatever the
number of workers. A fork copies the job, its facts and its batch judge as they are, so
nothing is loaded or pickled again but each chunk's compact result.

Serial where forking costs more than it saves (small passes), where `fork` is missing, and
inside a thread or a daemonic process (a sweep's worker is one process per core already).
A worker never outlives the pass: on an error, Ctrl-C or the deadline the parent ends it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from planner import deadline

# Fewer cadres in a pass than this: judged in one process (a fork and the merge cost more
# than they save there; hanoi-2023's passes have 2,000–3,300).
MIN_CADRES = 800
# Processes judging a pass (the parent included), at most; fewer on fewer cores.
MAX_WORKERS = 2
# Chunks per process: small enough that the last chunks even the workers' loads out, large
# enough that each chunk's fixed cost (one array judgement per rule) stays small.
CHUNKS_PER_WORKER = 3

Part = TypeVar("Part")
# judge(job, cadre_ids, judged, counts, offset, total) -> one chunk's result
Judge = Callable[[Any, list[str], dict[str, set[str]], Any, int, int], Part]


def workers_for(count: int) -> int:
    """How many processes judge a pass of `count` cadres (1: serially, here)."""
    if count < MIN_CADRES or MAX_WORKERS < 2:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    # forking from a thread, or beside other working threads, may copy a lock held mid-way.
    # Daemon threads are let be: `rotation plan`'s progress spinner is one (rich's refresh
    # thread), and a worker takes no lock of theirs — it never writes to the terminal, and
    # one stuck at exit on a stream they held is ended by the parent once it has sent.
    if threading.current_thread() is not threading.main_thread() \
            or any(not thread.daemon for thread in threading.enumerate()
                   if thread is not threading.main_thread()) \
            or multiprocessing.current_process().daemon:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


def judge_chunks(job: Any, cadre_ids: list[str], judged: dict[str, set[str]], counts: Any,
                 judge: Judge[Part], prepare: Callable[[], None] | None = None) -> list[Part]:
    """`judge` over the cadres, as chunks in cadre order (one chunk when serial);
    `prepare()` before forking workers (what each would otherwise work out again)."""
    total = len(cadre_ids)
    workers = workers_for(total)
    if workers < 2:
        return [judge(job, cadre_ids, judged, counts, 0, total)]
    if prepare is not None:
        prepare()
    size = -(-total // (workers * CHUNKS_PER_WORKER))
    bounds = [(start, min(total, start + size)) for start in range(0, total, size)]

    def run(index: int) -> Part:
        start, end = bounds[index]
        return judge(job, cadre_ids[start:end], judged, counts, start, total)

    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # the next chunk not taken (shared with the workers)
    parts: dict[int, Part] = {}
    children: list[tuple[Any, Connection]] = []
    try:
        sys.stdout.flush()  # or a worker would write the parent's buffered output again
        sys.stderr.flush()
        gc.freeze()  # the workers' collections then leave the parent's objects (and pages) be
        try:
            for _ in range(workers - 1):
                receiver, sender = context.Pipe(duplex=False)
                child = context.Process(target=_work, args=(sender, taken, len(bounds), run),
                                        daemon=True, name="rotation-candidates")
                child.start()
                sender.close()
                children.append((child, receiver))
        finally:
            gc.unfreeze()
        while (index := _take(taken, len(bounds))) is not None:
            parts[index] = run(index)
        for child, receiver in children:
            message = _receive(child, receiver, bounds, parts, total)
            if message[0] == "done":
                parts.update(message[1])
            elif message[0] == "deadline":
                phase, limit = message[1]
                raise deadline.TimeLimitReached(phase, _done(bounds, parts), total,
                                                "cadres judged", limit)
            # else the worker failed (killed, out of memory, a bug): its chunks are judged
            # below, here, where a bug raises with its own traceback
        for index in range(len(bounds)):
            if index not in parts:
                parts[index] = run(index)
    finally:
        for child, receiver in children:
            if child.is_alive():
                child.terminate()
            child.join()
            receiver.close()
    return [parts[index] for index in range(len(bounds))]


def _take(taken: Any, count: int) -> int | None:
    with taken.get_lock():
        index = int(taken.value)
        if index >= count:
            return None
        taken.value = index + 1
    return index


def _done(bounds: list[tuple[int, int]], parts: dict[int, Any]) -> int:
    """Cadres judged: those of the chunks finished, before the first one not finished."""
    done = 0
    for index, (start, end) in enumerate(bounds):
        if index not in parts:
            break
        done += end - start
    return done


def _work(sender: Connection, taken: Any, count: int, run: Callable[[int], Any]) -> None:
    """A worker: judge the chunks not taken yet, then send them all to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent ends the worker
    message: tuple[str, Any]
    try:
        done = {}
        while (index := _take(taken, count)) is not None:
            done[index] = run(index)
        message = ("done", done)
    except deadline.TimeLimitReached as reached:
        message = ("deadline", (reached.phase, reached.limit))
    except Exception as error:  # the parent judges the chunks again itself
        message = ("failed", f"{type(error).__name__}: {error}")
    try:
        sender.send(message)
    except (BrokenPipeError, OSError):
        pass  # the parent is gone or stopped listening
    finally:
        sender.close()


def _receive(child: Any, receiver: Connection, bounds: list[tuple[int, int]],
             parts: dict[int, Any], total: int) -> tuple[str, Any]:
    """A worker's message, waiting no later than the deadline; ("failed", …) if it died."""
    while not receiver.poll(0.05):
        if not child.is_alive() and not receiver.poll(0):
            return ("failed", f"worker ended with exit code {child.exitcode}")
        try:
            deadline.check("generating candidates")
        except deadline.TimeLimitReached as reached:
            raise deadline.TimeLimitReached(reached.phase, _done(bounds, parts), total,
                                            "cadres judged", reached.limit) from None
    try:
        message: tuple[str, Any] = receiver.recv()
    except (EOFError, OSError):
        return ("failed", f"worker ended with exit code {child.exitcode}")
    return message
