"""Python's cyclic garbage collector paused while Koordi starts serving (issue 17).

A start makes hundreds of thousands of long-lived objects (modules, classes, mappers, URL
rules, compiled SQL) and next to no cyclic garbage, yet each automatic collection walks them
all again: about a tenth of `koordi serve`'s start. app.cli.main pauses collection; the first
page a server sends (app.server) resumes it, after gc.freeze() has set the start's objects
aside, so later collections do not walk them either. Other commands resume at once, and a
server that is never asked for a page resumes after RESUME_AFTER_S. Memory freed by reference
counting, nearly all of it, is freed as ever meanwhile.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

RESUME_AFTER_S = 60.0
_state = {"paused": False}
_lock = threading.Lock()


def pause() -> None:
    with _lock:
        if not gc.isenabled():  # someone else's choice (a profiler, a test): not ours to undo
            return
        gc.disable()
        _state["paused"] = True
    timer = threading.Timer(RESUME_AFTER_S, resume)
    timer.daemon = True
    timer.start()


def paused() -> bool:
    return _state["paused"]


def resume() -> None:
    with _lock:
        if not _state["paused"]:
            return
        _state["paused"] = False
        gc.freeze()
        gc.enable()


# -- while a large document is made --------------------------------------------------------------

_holders = {"count": 0, "resume": False}


@contextmanager
def paused_while_making() -> Iterator[None]:
    """The collector paused while a large document is made (issue 17). A year report makes about
    a million objects, nearly all freed by reference counting, yet each automatic collection on
    the way walks the process's long-lived objects again (the kept survey scores, the session's
    rows): 0.1-0.2 s of a one-second report. The document's few cycles are collected after.
    Requests made at once share one pause, which the last one out ends; a collector already
    paused (the start's pause, a test's or a profiler's choice) is left as it was."""
    with _lock:
        if _holders["count"] == 0:
            _holders["resume"] = gc.isenabled()
            gc.disable()
        _holders["count"] += 1
    try:
        yield
    finally:
        with _lock:
            _holders["count"] -= 1
            if _holders["count"] == 0 and _holders["resume"] and not _state["paused"]:
                gc.enable()
