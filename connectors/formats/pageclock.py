"""A CPU-time limit on one step of a reader (a PDF page's text extraction), for libraries that offer
no limit of their own.

In the main thread (where pdscan's engine and its worker processes read) a profiling timer
(`ITIMER_PROF`: CPU time of the process) raises `PageTimeout` inside the library when the step has
used its seconds, wherever it is (parsing a content stream, following forms). `PageTimeout` is a
BaseException so that a library's own `except Exception` does not swallow it; the timer repeats
until it is out. Elsewhere (a thread cannot take signals) the library's per-operator callback checks
the thread's CPU time: the parse of a content stream before its first operator is not cut short there.
"""

from __future__ import annotations

import signal
import threading
import time

__all__ = ["PageClock", "PageTimeout"]

REPEAT = 0.05  # CPU seconds between raises once the time is up, should the library swallow one


class PageTimeout(BaseException):
    """The step used its CPU time."""


class PageClock:
    """`with clock:` around each step; `clock.visitors()` are the library's callbacks for a thread."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._armed = False
        self._signals = False
        self._deadline = 0.0
        self._previous = None

    def visitors(self) -> dict:
        """pypdf's `visitor_operand_before`, when the timer cannot run (a thread that is not the main one)."""
        return {} if self._signals else {"visitor_operand_before": self._check}

    def __enter__(self) -> PageClock:
        self._signals = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
        self._deadline = time.thread_time() + self.seconds
        self._armed = True
        if self._signals:
            self._previous = signal.signal(signal.SIGPROF, self._expired)
            signal.setitimer(signal.ITIMER_PROF, self.seconds, REPEAT)
        return self

    def __exit__(self, *exc) -> None:
        self._armed = False  # a signal already on its way does nothing now
        if self._signals:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self._previous or signal.SIG_DFL)

    def _expired(self, signum, frame) -> None:
        if self._armed:  # raised again every REPEAT seconds until the step has left
            raise PageTimeout

    def _check(self, *args) -> None:
        if self._armed and time.thread_time() > self._deadline:
            self._armed = False
            raise PageTimeout
