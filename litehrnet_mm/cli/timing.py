"""Timing code in one process, for the tools that compare candidates
(``tools/analysis_tools/benchmark.py``)."""
import statistics
import time
from typing import Callable, Dict, List


def timed(fn: Callable[[], object]) -> float:
    """Seconds that one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(candidates: Dict[str, Callable[[], object]], rounds: int,
                repeats: int) -> Dict[str, List[float]]:
    """Each candidate's median time in each round.

    In a round every candidate runs in one block: an untimed run, then
    ``repeats`` timed ones; the blocks' order rotates from round to round,
    so that a slow spell of the machine is shared. No timed run follows
    another candidate's run: a run just after another library's can be
    much slower than the next one (a two-threaded onnxruntime session's
    threads spin on after a run; ``docs/speed_notes.md`` has the numbers).

    Args:
        candidates (dict[str, callable]): Name to a function running the
            candidate once.
        rounds (int): How many rounds.
        repeats (int): Timed runs per candidate and round.

    Returns:
        dict[str, list[float]]: Name to its median time (s) in each round,
        in ``candidates``' order.
    """
    names = list(candidates)
    medians: Dict[str, List[float]] = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            candidates[name]()
            medians[name].append(
                statistics.median(
                    timed(candidates[name]) for _ in range(repeats)))
    return medians
