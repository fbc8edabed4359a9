"""How far a run is: documents done out of the total counted beforehand, the share of the
work done, the rate and the time left.

The total comes from :func:`veille.ingest.survey`: documents where they can be counted
cheaply (a text or HTML file is one, a JSONL file one a line, a feed one an item), bytes
otherwise (WARC archives). When every input's documents are counted, the share done is
documents done over documents counted; otherwise it is weighed in bytes, a file counting
as read once a document of a later file is done, and an archive in the share of its
records done. Without a survey only the count and the rate are known.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Self


@dataclass(frozen=True)
class Status:
    """A snapshot of the progress of a run."""

    done: int  # documents done
    total: int | None  # documents counted beforehand, None when not every input could be counted
    fraction: float | None  # share of the work done (0..1), None when unknown
    rate: float | None  # documents a second since the first was done
    left: float | None  # seconds left, None while unknown
    known: int = 0  # documents skipped as already stored
    total_bytes: int | None = None

    def line(self) -> str:
        """One plain line: ``120/500 documents (24%) · 8.1/s · 47s left · 20 already stored``."""
        noun = "document" if (self.total if self.total is not None else self.done) == 1 else "documents"
        if self.total is not None:
            head = f"{self.done:,}/{self.total:,} {noun}"
        else:
            head = f"{self.done:,} {noun}"
        parts = [head]
        if self.fraction is not None:
            share = f"{self.fraction:.0%}"
            if self.total is None and self.total_bytes:
                share += f" of {human_bytes(self.total_bytes)}"
            parts[0] += f" ({share})"
        if self.rate is not None:
            parts.append(f"{self.rate:,.1f}/s")
        if self.left is not None:
            parts.append(f"{duration(self.left)} left")
        if self.known:
            parts.append(f"{self.known:,} already stored")
        return " · ".join(parts)


class Meter:
    """Turns the runner's counts (:class:`~veille.runners.local.RunSummary`) into a
    :class:`Status`, given the surveyed inputs (``(source, size, documents)`` records)."""

    def __init__(self, inputs: Sequence[Any] | None, *, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.inputs = list(inputs or [])
        self.index = {x.source: k for k, x in enumerate(self.inputs)}
        self.counted = bool(self.inputs) and all(x.documents is not None for x in self.inputs)
        self.total = sum(x.documents for x in self.inputs) if self.counted else None  # type: ignore[misc]
        self.total_bytes = sum(x.size for x in self.inputs) if self.inputs else None
        self.done_in = [0] * len(self.inputs)  # documents done per input
        self.starts = [0] * len(self.inputs)  # bytes of the inputs before each one
        for k in range(1, len(self.inputs)):
            self.starts[k] = self.starts[k - 1] + self.inputs[k - 1].size
        self.furthest = -1  # the latest input a document was done from
        self.seen = 0
        self.first: float | None = None  # when the first document was done
        self.first_fraction = 0.0

    def update(self, summary: Any) -> Status:
        """The status after the runner's latest counts."""
        new = summary.done - self.seen
        starting = False
        if new > 0:
            self.seen = summary.done
            starting = self.first is None
            if starting:
                self.first = self.clock()
            k = self.index.get(summary.current)
            if k is not None:
                self.done_in[k] += new
                self.furthest = max(self.furthest, k)
        fraction = self._fraction()
        if starting:
            self.first_fraction = fraction or 0.0
        now = self.clock()
        rate = left = None
        if self.first is not None and now - self.first >= 1.0:
            # Counted from the first document done, so that loading the model is not in the rate.
            rate = (self.seen - 1) / (now - self.first)
            if fraction is not None and 0 < fraction < 1:
                per_second = (fraction - self.first_fraction) / (now - self.first)
                if per_second > 0:
                    left = (1 - fraction) / per_second
        total = max(self.total, self.seen) if self.total is not None else None
        return Status(done=self.seen, total=total, fraction=fraction, rate=rate, left=left,
                      known=summary.known,
                      total_bytes=self.total_bytes)

    def _fraction(self) -> float | None:
        if not self.inputs:
            return None
        if self.total is not None:
            return min(1.0, self.seen / self.total) if self.total else 1.0
        if not self.total_bytes:
            return None
        if self.furthest < 0:
            return 0.0
        current = self.inputs[self.furthest]
        expected = current.documents or getattr(current, "estimate", None)
        part = current.size * min(1.0, self.done_in[self.furthest] / expected) if expected else 0
        return min(1.0, (self.starts[self.furthest] + part) / self.total_bytes)


class View:
    """Shows a run's progress on standard error: a live bar on a terminal, else a plain line
    every ``every`` seconds and one at the end (no control codes in logs). Call it with the
    runner's summary; use it as a context manager."""

    def __init__(self, inputs: Sequence[Any] | None, *, console: Any, every: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        self.meter = Meter(inputs, clock=clock)
        self.console = console
        self.every = every
        self.clock = clock
        # No file found (``inputs`` empty, not None for unknown): the failures say why.
        self.nothing = inputs is not None and not inputs
        self.live = bool(console.is_terminal) and not self.nothing
        self.last_line = -1.0e9
        self.printed = ""
        self.status: Status | None = None
        self.bar: Any = None
        self.task: Any = None

    def intro(self) -> str:
        """What there is to read, before starting."""
        m = self.meter
        if not m.inputs:
            return "reading…"
        files = f"{len(m.inputs):,} input{'s' if len(m.inputs) != 1 else ''}"
        size = human_bytes(m.total_bytes or 0)
        if m.total is not None:
            return f"{files} ({size}), {m.total:,} document{'s' if m.total != 1 else ''} to read"
        return f"{files} ({size}) to read"

    def __enter__(self) -> Self:
        if self.live:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

            self.bar = Progress(SpinnerColumn(), BarColumn(bar_width=24), TextColumn("{task.description}"),
                                console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.intro() + ", starting…", total=None)
        elif not self.nothing:
            self._print(self.intro())
        return self

    def __call__(self, summary: Any) -> None:
        self.status = status = self.meter.update(summary)
        if self.bar is not None:
            total = 1000 if status.fraction is not None else None
            done = round(1000 * status.fraction) if status.fraction is not None else None
            self.bar.update(self.task, description=status.line(), total=total, completed=done or 0)
            return
        now = self.clock()
        if now - self.last_line >= self.every and not self.nothing:
            self.last_line = now
            self._print(status.line())

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
        elif exc[0] is None and self.status is not None and self.status.line() != self.printed \
                and not self.nothing:
            self._print(self.status.line())

    def _print(self, text: str) -> None:
        self.printed = text
        self.console.file.write(f"veille: {text}\n")
        self.console.file.flush()


def duration(seconds: float) -> str:
    """``47s``, ``3m10s``, ``2h05m``."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def human_bytes(n: float) -> str:
    """``812 B``, ``4.1 MB``, ``1.2 GB``."""
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} TB"  # pragma: no cover


__all__ = ["Meter", "Status", "View", "duration", "human_bytes"]
