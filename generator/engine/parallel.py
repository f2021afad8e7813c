"""Work spread over processes: parse articles and render pages on every core.

Workers are forked, so each one inherits the task (config, paths, the whole Site) without
pickling it; they hand back only small results: parsed articles in plain form, or the
paths of the files they staged. Rendered pages go straight to the staging folder, so no
process ever holds every page in memory.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

#: Below this many items a pool costs more than it saves.
MIN_PARALLEL = 200
#: New objects between two collections of the youngest generation in a worker (Python: 700).
WORKER_GC_THRESHOLD = 20_000

# The task and items of the pool being forked. Set just before forking, read by workers, so
# only chunk bounds travel to them.
_task: Callable[[Sequence[Any]], Any] | None = None
_items: Sequence[Any] = ()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _quiet_worker() -> None:
    """Interrupts are the parent's to handle: Ctrl-C reaches the whole process group, and the
    parent ends its pool with SIGTERM; neither should print a worker's traceback.

    A worker collects its own garbage even when the parent has paused collection (see
    build.py), but less often than Python's default: parsing and rendering make objects by
    the million and few cycles, and collecting every 700 new objects cost a tenth of the
    rendering time."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    gc.enable()


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while forking and deliver them afterwards.

    A fork runs Python hooks in the parent (logging releases its locks there); a
    KeyboardInterrupt raised inside one is printed as "Exception ignored" and dropped, so the
    interrupt would be lost and the build would run on to its end."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread runs signal handlers, so none can land in its forks
        return
    parent, caught = os.getpid(), []

    def hold(signum: int, _: object) -> None:
        if os.getpid() != parent:  # a worker not yet past its initializer: end as told
            os._exit(128 + signum)
        caught.append(signum)

    held = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, hold) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in caught:
            signal.raise_signal(signum)


def _run(bounds: tuple[int, int]) -> Any:
    assert _task is not None
    return _task(_items[bounds[0] : bounds[1]])


def chunks(count: int, jobs: int, size: int = 64) -> list[tuple[int, int]]:
    """Small chunks, so the workers finish together and progress moves steadily."""
    size = max(1, min(size, -(-count // (jobs * 4))))
    return [(i, min(i + size, count)) for i in range(0, count, size)]


def run(
    task: Callable[[Sequence[Any]], Any], items: Sequence[Any], jobs: int
) -> Iterator[tuple[Sequence[Any], Any]]:
    """``(chunk, task(chunk))`` for chunks of ``items``, in order; in forked workers when
    ``jobs`` > 1 and the work is big enough, else here."""
    global _task, _items
    parts = chunks(len(items), jobs)
    if jobs <= 1 or len(items) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        for start, stop in parts:
            yield items[start:stop], task(items[start:stop])
        return
    _task, _items = task, items
    try:
        with contextlib.ExitStack() as stack:
            with _interrupts_held():  # an interrupt held here ends the pool just made
                context = multiprocessing.get_context("fork")
                pool = stack.enter_context(context.Pool(min(jobs, len(parts)), _quiet_worker))
            for (start, stop), result in zip(parts, pool.imap(_run, parts), strict=True):
                yield items[start:stop], result
    finally:
        _task, _items = None, ()
