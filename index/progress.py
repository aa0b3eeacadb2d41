"""Indexing progress in Vietnamese: documents, total, rate, ETA and each phase.

On a terminal one line is redrawn in place (at most a few times a second); elsewhere (nohup,
CI, cron, a pipe) a full line is written every ``interval`` seconds, so a log shows that a
long run is alive and when it should end.  Off a terminal, a run known to be small (fewer
than ``quiet_below`` documents, a few seconds of work) writes no progress at all: a log of
many small updates stays one summary line per run.  tqdm draws a bar but cannot name the phases
after analysis (writing segments, merging), which were the silent half of a run.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

ANALYSING = "phân tích và ghi phân đoạn…"
WRITING = "ghi phân đoạn…"
MERGING = "gộp chỉ mục…"


def format_count(n: int) -> str:
    """A count with Vietnamese digit grouping.

    >>> format_count(84132)
    '84.132'
    """
    return f"{n:,}".replace(",", ".")


def format_duration(seconds: float) -> str:
    """A duration as a person reads it.

    >>> format_duration(42), format_duration(125), format_duration(3720)
    ('42 giây', '2 phút 5 giây', '1 giờ 2 phút')
    """
    s = int(round(seconds))
    if s < 60:
        return f"{s} giây"
    if s < 3600:
        return f"{s // 60} phút {s % 60} giây"
    return f"{s // 3600} giờ {s % 3600 // 60} phút"


class Progress:
    """Reports how far an indexing run is; ``enabled=False`` makes it silent."""

    def __init__(self, total: int | None = None, *, stream: TextIO | None = None,
                 enabled: bool = True, interval: float = 5.0, quiet_below: int = 0, clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled and (self.tty or total is None or total >= quiet_below)
        self.interval = 0.2 if self.tty else interval
        self.total = total
        self.done = 0
        self.clock = clock
        self.started = clock()
        self._last = self.started
        self._phase = ANALYSING
        self._phase_started = self.started
        self._drawn = False
        self.seconds: dict[str, float] = {}  # time spent in each finished phase

    def line(self) -> str:
        """The progress line as it stands now."""
        elapsed = self.clock() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self._phase != ANALYSING:
            spent = self.clock() - self._phase_started
            return f"{self._phase} ({format_duration(spent)})" if spent >= 1 else self._phase
        if self.total:
            text = f"{format_count(self.done)}/{format_count(self.total)} bài ({100 * self.done // self.total}%)"
        else:
            text = f"{format_count(self.done)} bài"
        text += f", {rate:.0f} bài/giây" if rate >= 1 else f", {rate:.1f} bài/giây"
        if self.total and rate > 0 and self.done < self.total:
            text += f", còn khoảng {format_duration((self.total - self.done) / rate)}"
        return f"{self._phase} {text}"

    def update(self, n: int = 1) -> None:
        """Count ``n`` more documents analysed and written."""
        self.done += n
        now = self.clock()
        if now - self._last >= self.interval:
            self._last = now
            self._emit()

    def phase(self, name: str) -> None:
        """Start a phase after analysis (``WRITING``, ``MERGING``); it is shown at once."""
        if self._phase == ANALYSING:
            self._emit()  # the final count of the analysis phase
        now = self.clock()
        self.seconds[self._phase] = now - self._phase_started
        self._phase = name
        self._phase_started = self._last = now
        self._emit()

    def close(self) -> None:
        """End the display (a terminal line is finished with a newline)."""
        self.seconds[self._phase] = self.clock() - self._phase_started
        if self.enabled and self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()

    def _emit(self) -> None:
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r\x1b[K" + self.line())
            self._drawn = True
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()


_COUNT_LIMIT = 4 * 2**30  # bytes read to count lines; beyond it (a gzip bomb?) no total


def count_documents(sources) -> int | None:
    """How many documents the sources hold, counted cheaply (lines of ``.jsonl``, ``.txt``
    files), or None when it cannot be told quickly: the total shown with the progress.

    Bad lines are counted too, so the count is an upper bound when a source has some.
    """
    import gzip
    from pathlib import Path

    total, budget = 0, _COUNT_LIMIT
    stack = [Path(s) for s in sources]
    try:
        while stack:
            path = stack.pop()
            if path.is_dir():
                stack.extend(path.rglob("*.txt"))
                stack.extend(path.rglob("*.jsonl"))
                stack.extend(path.rglob("*.jsonl.gz"))
            elif path.suffix.lower() == ".txt":
                total += 1
            elif path.name.endswith((".jsonl", ".jsonl.gz")):
                opener = gzip.open if path.name.endswith(".gz") else open
                with opener(path, "rb") as fh:
                    last = b"\n"
                    while chunk := fh.read(1 << 20):
                        budget -= len(chunk)
                        if budget < 0:
                            return None
                        total += chunk.count(b"\n")
                        last = chunk[-1:]
                    total += last != b"\n"
    except (OSError, EOFError, ValueError):
        return None
    return total
