"""Candidate passes judged by forked workers (planner/solver/parallel.py): the same candidate
set as one serial chunk, and no worker outlives its pass — whether a worker dies, the
deadline passes or the parent is interrupted."""

from __future__ import annotations

import multiprocessing
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_vectorised_candidates import QUICK, RULE_SETS, random_facts

from planner import deadline
from planner.solver import candidates as cand
from planner.solver import parallel

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="forked workers need the fork start method")


def forked(patch: pytest.MonkeyPatch, workers: int = 2) -> list[int]:
    """Passes of 10 cadres or more judged by `workers` processes, in small chunks, even on
    a one-core machine; returns the list of each pass's process count, as it is made."""
    patch.setattr(parallel, "MIN_CADRES", 10)
    patch.setattr(parallel, "MAX_WORKERS", workers)
    patch.setattr(parallel, "CHUNKS_PER_WORKER", 3)
    patch.setattr(parallel.os, "sched_getaffinity", lambda _pid: set(range(workers)))
    counts: list[int] = []
    original = parallel.workers_for

    def counted(count: int) -> int:
        found = original(count)
        counts.append(found)
        return found

    patch.setattr(parallel, "workers_for", counted)
    return counts


def same_candidates(found: cand.CandidateSet, reference: cand.CandidateSet) -> None:
    assert found.options == reference.options
    assert found.movers == reference.movers and found.open_posts == reference.open_posts
    assert found.pairs_judged == reference.pairs_judged
    assert {c: list(r.items()) for c, r in found.refusals.items()} == \
        {c: list(r.items()) for c, r in reference.refusals.items()}
    assert found.kept == found.posts_per_cadre() == reference.posts_per_cadre()


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=QUICK)
@given(seed=st.integers(1, 10_000), rules=st.sampled_from(sorted(RULE_SETS)),
       workers=st.sampled_from([2, 3]), picks=st.randoms(use_true_random=False))
def test_forked_workers_find_the_serial_candidates_refusals_and_counts(
        tmp_path_factory: pytest.TempPathFactory, seed: int, rules: str, workers: int,
        picks: random.Random) -> None:
    facts = random_facts(tmp_path_factory.mktemp("parallel"), seed, RULE_SETS[rules], picks,
                         "district")
    reference = cand.build_candidates(facts)
    with pytest.MonkeyPatch.context() as patch:
        counts = forked(patch, workers)
        found = cand.build_candidates(facts)
    assert workers in counts  # a pass was judged by forked workers
    same_candidates(found, reference)
    assert not multiprocessing.active_children()


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory):
    return random_facts(tmp_path_factory.mktemp("district"), 7, RULE_SETS["hanoi-2023"],
                        random.Random(3), "district")


def in_worker(parent: int, action, patch: pytest.MonkeyPatch) -> None:
    """Make `action()` happen in place of judging a chunk in a worker (not the parent)."""
    judge = cand._judge_chunk

    def replaced(*args):
        if os.getpid() != parent:
            action()
        return judge(*args)

    patch.setattr(cand, "_judge_chunk", replaced)


def test_the_chunks_of_a_worker_that_dies_are_judged_by_the_parent(district) -> None:
    reference = cand.build_candidates(district)
    with pytest.MonkeyPatch.context() as patch:
        forked(patch)
        in_worker(os.getpid(), lambda: os._exit(3), patch)
        found = cand.build_candidates(district)
    same_candidates(found, reference)
    assert not multiprocessing.active_children()


def test_a_worker_that_raises_leaves_its_chunks_to_the_parent(district) -> None:
    reference = cand.build_candidates(district)

    def failing() -> None:
        raise ValueError("a worker's own trouble (out of memory, say)")

    with pytest.MonkeyPatch.context() as patch:
        forked(patch)
        in_worker(os.getpid(), failing, patch)
        found = cand.build_candidates(district)
    same_candidates(found, reference)
    assert not multiprocessing.active_children()


def test_the_deadline_in_a_worker_names_the_cadres_judged_and_ends_every_worker(
        district) -> None:
    def late() -> None:
        raise deadline.TimeLimitReached("generating candidates", limit=5.0)

    with pytest.MonkeyPatch.context() as patch:
        forked(patch)
        in_worker(os.getpid(), late, patch)
        with pytest.raises(deadline.TimeLimitReached) as reached:
            cand.build_candidates(district)
    assert reached.value.unit == "cadres judged" and reached.value.limit == 5.0
    assert reached.value.total and reached.value.done is not None
    assert "cadres judged" in str(reached.value)
    assert not multiprocessing.active_children()


def test_an_interrupted_parent_ends_its_workers(district) -> None:
    parent = os.getpid()
    with pytest.MonkeyPatch.context() as patch:
        forked(patch)
        judge = cand._judge_chunk

        def interrupted(*args):
            if os.getpid() == parent:
                raise KeyboardInterrupt
            return judge(*args)

        patch.setattr(cand, "_judge_chunk", interrupted)
        with pytest.raises(KeyboardInterrupt):
            cand.build_candidates(district)
    assert not multiprocessing.active_children()


def test_small_passes_threads_and_one_core_judge_serially(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1})
    assert parallel.workers_for(parallel.MIN_CADRES) == min(2, parallel.MAX_WORKERS)
    assert parallel.workers_for(parallel.MIN_CADRES - 1) == 1
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0})
    assert parallel.workers_for(parallel.MIN_CADRES) == 1


def test_a_pass_judged_inside_a_thread_is_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1})
    found: list[int] = []
    thread = threading.Thread(target=lambda: found.append(
        parallel.workers_for(parallel.MIN_CADRES)))
    thread.start()
    thread.join()
    assert found == [1]


def test_a_daemon_thread_beside_the_pass_lets_it_fork_but_a_working_thread_does_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1})
    for daemon, expected in ((True, min(2, parallel.MAX_WORKERS)), (False, 1)):
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait, daemon=daemon)
        thread.start()
        try:
            assert parallel.workers_for(parallel.MIN_CADRES) == expected
        finally:
            stop.set()
            thread.join()


def test_rotation_plan_judges_on_two_cores_beside_its_progress_spinner(
        monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from click.testing import CliRunner

    from planner.cli import main

    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setattr(parallel, "MIN_CADRES", 1)
    chosen: list[int] = []
    workers_for = parallel.workers_for
    monkeypatch.setattr(parallel, "workers_for",
                        lambda count: chosen.append(workers_for(count)) or chosen[-1])
    result = CliRunner().invoke(main, ["plan", "scenarios/demo/scenario.yaml",
                                       "-o", str(tmp_path / "plan")])
    assert result.exit_code == 0, result.output
    assert chosen and set(chosen) == {min(2, parallel.MAX_WORKERS)}
