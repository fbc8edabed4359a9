"""What a Spark run tells the user while it works: the step it is at, and every ``every``
seconds how many tasks of the running stages are done (from Spark's status tracker)."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Self


class Steps:
    """Says each step as it starts, then the tasks of the running Spark stages, as one line
    every ``every`` seconds while they change. A context manager; the lines go to ``say``."""

    def __init__(self, sc: Any, say: Callable[[str], None], *, every: float = 10.0,
                 started: float | None = None):
        self.sc = sc
        self.say = say
        self.every = every
        self.label = "starting"
        self.started = time.monotonic() if started is None else started  # time.monotonic() of the run's start
        self.last = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def step(self, label: str) -> None:
        """A new step begins: say it, with the time since the run began."""
        with self._lock:
            self.label = label
            self.last = ""
            self.say(f"{label} ({self._elapsed()})")

    def __enter__(self) -> Self:
        if self.every > 0:
            self._thread = threading.Thread(target=self._loop, name="veille-spark-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                line = self.tasks()
            except Exception:  # noqa: BLE001 - the context is stopping; progress is best effort
                return
            with self._lock:
                if line and line != self.last and not self._stop.is_set():
                    self.last = line
                    self.say(f"{self.label}: {line} ({self._elapsed()})")

    def tasks(self) -> str:
        """``5/8 tasks done, 2 running`` over the stages running now ("" when none)."""
        tracker = self.sc.statusTracker()
        total = done = running = 0
        for stage in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage)
            if info is None:
                continue
            total += info.numTasks
            done += info.numCompletedTasks
            running += info.numActiveTasks
        if not total:
            return ""
        return f"{done}/{total} tasks done ({done / total:.0%}), {running} running"

    def _elapsed(self) -> str:
        from ..progress import duration

        return duration(time.monotonic() - self.started)


__all__ = ["Steps"]
