"""Python's cyclic garbage collector paused while the solver makes many small objects.

Candidate judging and the model build allocate hundreds of thousands of small objects
(rows, verdicts, options) that form no reference cycles, and every collection the
allocations trigger walks the whole loaded roster: on hanoi-2023 the collections cost
about 2 s of the 9 s of candidates and more than the model build itself. Cycles made
meanwhile are collected once the collector runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside the block, back as it was after (also on an error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
