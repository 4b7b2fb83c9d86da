"""Progress of a long rebuild: entries done, the rate, and the time left.

On a terminal a `click.progressbar` redraws one line; elsewhere (a deployment log, cron) a plain
line is written every `every_seconds`, so a log shows that the rebuild is moving and how far it
has to go. `reporter(total)` gives the callable a rebuild calls with the number done so far.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

import click

Progress = Callable[[int], None]


def describe(done: int, total: int, elapsed: float) -> str:
    """'12,000 of 50,000 entries (2,400 a second, about 16 s left)'."""
    rate = done / elapsed if elapsed > 0 else 0.0
    left = (total - done) / rate if rate and total > done else 0.0
    wait = f"about {left:,.0f} s left" if done < total else "done"
    return f"{done:,} of {total:,} entries ({rate:,.0f} a second, {wait})"


class LineReporter:
    """Plain lines, at most one every `every_seconds` (and always the last)."""

    def __init__(self, total: int, label: str, stream: TextIO, every_seconds: float = 5.0):
        self.total, self.label, self.stream, self.every = total, label, stream, every_seconds
        self.started = time.monotonic()
        self.last_line = self.started
        self.done = 0

    def __call__(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if now - self.last_line >= self.every or done >= self.total:
            self.last_line = now
            self.stream.write(f"{self.label}: {describe(done, self.total, now - self.started)}\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.done < self.total:  # fewer listed than counted at the start: say where it ended
            self.stream.write(f"{self.label}: {describe(self.done, self.done, time.monotonic() - self.started)}\n")
            self.stream.flush()


class BarReporter:
    """A `click.progressbar` on a terminal: position, rate and time left on one line."""

    def __init__(self, total: int, label: str, stream: TextIO):
        self.bar = click.progressbar(length=max(total, 1), label=label, show_pos=True, show_eta=True, file=stream,
                                     item_show_func=lambda _: None)
        self.bar.__enter__()
        self.done = 0

    def __call__(self, done: int) -> None:
        if done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def finish(self) -> None:
        self.bar.__exit__(None, None, None)


def reporter(total: int, label: str = "Rebuilding the search index", stream: TextIO | None = None,
             every_seconds: float = 5.0) -> LineReporter | BarReporter:
    """A progress callable for a rebuild of `total` entries; call `.finish()` when it ends."""
    stream = stream or sys.stderr
    if stream.isatty():
        return BarReporter(total, label, stream)
    return LineReporter(total, label, stream, every_seconds)
