"""Worker processes that analyse documents *and* write them into segments of their own.

The main process reads the sources and sends batches of raw documents; each worker
extracts, segments (pyvi) and writes them with a :class:`SegmentBuilder` into a new segment
of the index folder, and reports back what it wrote.  The main process only deletes
replaced documents and commits the finished segments, all at once, so until that commit
the index on disk is the previous one and the new segment files are not counted in it.

Workers die with their parent (``PR_SET_PDEATHSIG`` on Linux, a parent watch elsewhere):
a ``kill -9`` of the indexer must not leave 130 MB processes behind.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import queue
import signal
import sys
import threading
import traceback
from typing import Callable, Iterable

from whoosh.filedb.filestore import FileStorage

from index.lifecycle import close_inherited
from index.segment_builder import SegmentBuilder

# A worker closes its segment and starts another after this many postings, so its memory
# stays bounded (~10 bytes a posting, plus the term table) on sources of any size.
SEGMENT_POSTINGS = 12_000_000
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when the process that started it ends, however it ends."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent_pid:  # the parent died before prctl took effect
                    os._exit(1)
                return
        except OSError:
            pass

    def watch():  # elsewhere: poll, since a reparented process gets a new parent id
        while os.getppid() == parent_pid:
            threading.Event().wait(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _worker(index_dir: str, indexname: str, schema, prepare: Callable, fields_of: Callable,
            tasks, results, parent_pid: int, segment_postings: int) -> None:
    """Prepare and write batches until told to stop; report each batch and each segment."""
    die_with_parent(parent_pid)
    # The run's write lock is closed at the fork (index/lifecycle.py); the Whoosh writer's lock
    # in the folder is the parent's too: a worker holds neither, so none can outlive the run's.
    close_inherited(os.path.join(index_dir, f"{indexname}_WRITELOCK"))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    storage = FileStorage(index_dir)
    builder = None
    try:
        while (batch := tasks.get()) is not None:
            written, bad, chars = [], [], 0
            for item in prepare(batch):
                if not isinstance(item, dict):
                    bad.append(item)
                    continue
                if builder is None:
                    builder = SegmentBuilder(storage, indexname, schema)
                builder.add_document(**fields_of(item))
                written.append(item["id"])
                chars += item["chars"]
            results.put(("batch", (written, bad, chars)))
            if builder is not None and builder.postings >= segment_postings:
                results.put(("segment", builder.finish()))
                builder = None
        if builder is not None:
            results.put(("segment", builder.finish()))
        results.put(("done", None))
    except BaseException:  # noqa: BLE001 — the parent reports it and fails the run
        error = traceback.format_exc()
        if builder is not None:
            try:
                builder.cancel()
            except OSError:  # a full disk fails closing the files too: the first error is the one to report
                pass
        results.put(("error", error))


class WorkerFailed(RuntimeError):
    """A worker process failed or died; nothing of the run is committed."""


class SegmentWorkers:
    """A set of worker processes writing segments into ``index_dir``.

    ``run(batches, on_batch)`` feeds them and returns the finished segments; a bounded
    number of batches is in flight, so memory stays flat whatever the source size.
    """

    def __init__(self, index_dir, indexname: str, schema, workers: int, prepare: Callable,
                 fields_of: Callable, segment_postings: int = SEGMENT_POSTINGS):
        # fork: the workers inherit the loaded modules instead of importing them again
        # (spawn costs ~1 s a worker); they hold no lock, not even the copies fork gives them.
        ctx = multiprocessing.get_context("fork")
        self.tasks = ctx.Queue(maxsize=workers * 3)
        self.results = ctx.Queue()
        self.procs = [
            ctx.Process(target=_worker, daemon=True, name=f"vnsearch-index-{i}",
                        args=(str(index_dir), indexname, schema, prepare, fields_of,
                              self.tasks, self.results, os.getpid(), segment_postings))
            for i in range(workers)
        ]
        for p in self.procs:
            p.start()

    def run(self, batches: Iterable[list], on_batch: Callable, on_writing: Callable = lambda: None) -> list:
        """Send every batch, call ``on_batch(written_ids, bad, chars)`` as each returns, and
        return the segments once every worker has finished (``on_writing`` marks the point
        where only the workers' last segments remain to be written)."""
        segments, pending, done = [], 0, 0
        limit = len(self.procs) * 3

        def handle(block: bool) -> bool:
            nonlocal pending, done
            try:
                kind, value = self.results.get(timeout=1.0 if block else 0)
            except queue.Empty:
                dead = [p for p in self.procs if p.exitcode not in (None, 0)]
                if dead:
                    raise WorkerFailed(f"indexing worker {dead[0].name} died (exit status {dead[0].exitcode})")
                return False
            if kind == "batch":
                pending -= 1
                on_batch(*value)
            elif kind == "segment":
                segments.append(value)
            elif kind == "done":
                done += 1
            else:
                raise WorkerFailed(f"indexing worker failed:\n{value}")
            return True

        for batch in batches:
            while pending >= limit:
                handle(block=True)
            while handle(block=False):
                pass
            self.tasks.put(batch)
            pending += 1
        for _ in self.procs:
            self.tasks.put(None)
        while pending:
            handle(block=True)
        on_writing()
        while done < len(self.procs):
            handle(block=True)
        return segments

    def close(self) -> None:
        """Stop the workers (at once if the run failed) and wait for them."""
        for p in self.procs:
            if p.is_alive():
                p.join(timeout=0.5)
            if p.is_alive():
                p.kill()
                p.join()
        self.tasks.cancel_join_thread()
        self.results.cancel_join_thread()
        self.tasks.close()
        self.results.close()
