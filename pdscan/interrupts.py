"""Ctrl-C and parent death: the main process decides what an interrupt does, workers never do.

The main process turns SIGINT into KeyboardInterrupt except while a finding is being written or a
result received is merged (`InterruptGuard.deferred`), so an output line or a store batch is never
cut in half and what the workers sent is not dropped; inside such a step, the waits and reads are
`interruptible`, so a Ctrl-C still ends the scan at once. Worker
processes ignore SIGINT (a terminal's Ctrl-C reaches the whole process group) and die with the
process that started them, however it ends (Linux: PR_SET_PDEATHSIG; elsewhere a watcher thread).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_SECONDS = 0.5  # how often a worker without prctl checks that its parent lives


class InterruptGuard:
    """While entered, SIGINT raises KeyboardInterrupt at once, or, when it came inside `deferred()`, on
    leaving it or on entering `interruptible()` within it, whichever comes first. A process that started
    with SIGINT ignored (nohup, a background job) keeps ignoring it; outside the main thread nothing is
    installed (the sections still nest, and `again` still holds an interrupt for the next point)."""

    def __init__(self) -> None:
        self._modes: tuple | None = None  # sections entered, innermost first: (deferred?, outer modes)
        self._pending = False
        self._previous = None
        self._installed = False

    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) not in (
            signal.SIG_IGN,
            None,
        ):
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, *exc) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False

    def _handle(self, signum, frame) -> None:
        if self._modes is not None and self._modes[0]:
            self._pending = True
            return
        raise KeyboardInterrupt

    def deferred(self) -> _Section:
        """A step that must finish whole (a finding to the output and the store; a result received, merged)."""
        return _Section(self, True)

    def interruptible(self) -> _Section:
        """Within a deferred step, a stretch a Ctrl-C may end at once (a wait, a read); one held raises on entry."""
        return _Section(self, False)

    def again(self) -> None:
        """A KeyboardInterrupt was caught to keep what was done before it: raise it at the next point that may."""
        self._pending = True


class _Section:
    """`with guard.deferred():` or `with guard.interruptible():`. Entering and leaving call nothing (a
    signal handler runs only between calls and loops), and leaving restores the modes found on entering:
    an interrupt raised on the way in or out never leaves a section behind."""

    __slots__ = ("guard", "deferred", "outer")

    def __init__(self, guard: InterruptGuard, deferred: bool):
        self.guard = guard
        self.deferred = deferred
        self.outer = None

    def __enter__(self) -> None:
        guard = self.guard
        self.outer = guard._modes
        guard._modes = (self.deferred, self.outer)
        if guard._pending and not self.deferred:
            guard._pending = False
            guard._modes = self.outer
            raise KeyboardInterrupt

    def __exit__(self, kind, exc, tb) -> None:
        guard = self.guard
        guard._modes = outer = self.outer
        if kind is not None:
            if issubclass(kind, KeyboardInterrupt):
                guard._pending = False  # the one held is on its way out
        elif guard._pending and (outer is None or not outer[0]):
            guard._pending = False
            raise KeyboardInterrupt


@contextmanager
def sigint_blocked() -> Iterator[None]:
    """SIGINT held back in this thread, so a process forked here starts with it blocked: a Ctrl-C
    between fork and `worker_started` neither reaches the worker's Python nor is lost to the parent."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def worker_started(parent_pid: int) -> None:
    """In a worker process, first: ignore SIGINT (the parent decides), and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # a pending one is dropped: ignored
    die_with_parent(parent_pid)


def die_with_parent(parent_pid: int) -> None:
    """SIGKILL this process when `parent_pid` ends: the kernel's PR_SET_PDEATHSIG on Linux, a
    thread polling the parent elsewhere. The parent may have died before the call: checked after.

    On Linux the signal comes when the thread that forked this process ends; pdscan forks its
    workers from the main thread, whose end is the process's.
    """
    if sys.platform.startswith("linux") and _pdeathsig(signal.SIGKILL):
        if os.getppid() != parent_pid:  # died between fork and prctl: nobody would signal
            os._exit(1)
        return
    watch_parent(parent_pid)


def _pdeathsig(signum: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent_pid: int) -> None:
    """Where prctl is not available: a daemon thread ends this process once `parent_pid` is no
    longer its parent (the orphan is adopted by init or a subreaper), within WATCH_SECONDS."""
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="pdscan-parent-watch", daemon=True).start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
