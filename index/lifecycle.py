"""The life of an index folder across indexing runs: one write lock, an atomic swap, no leftovers.

Every run, plain or ``--rebuild``, holds one lock that lives *beside* the index folder
(``<name>.lock``): Whoosh's own lock lives inside the folder, so a rebuild, which writes
into a new folder and swaps it in, never saw a plain run's lock, and a plain run waiting
on the old folder's lock committed into a folder that was then thrown away.

The lock is an ``flock``: the kernel drops it when its holder dies, however it dies, so a
killed run never leaves a held lock.  Under that lock a run first removes what killed runs
left (``.rebuild-*`` folders, uncommitted segment files), and after a failure it removes
its own files, so a full disk is not left fuller.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import stat
import time
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files

from index.schema import INDEX_NAME, META_FILE

_REBUILD = ".rebuild-"
_OLD = ".old-"
# Files a Whoosh writer makes beside its segment and removes itself unless it is killed:
# the posting pool's spill folder and a table of contents not yet renamed into place.
_WRITER_TEMP = re.compile(rf"^(.*\.tmp|_{INDEX_NAME}_\d+\.toc\..+|{re.escape(META_FILE)}\.tmp)$")
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class IndexBusyError(Exception):
    """Another process holds the index's write lock."""


class DiskFullError(Exception):
    """The disk holding the index filled up during a run (the previous commit is intact)."""


# The write-lock descriptors this process holds.  An flock belongs to the open file, which a
# forked child (an analysis worker) shares: a child that outlived this process would keep the
# index locked.  So a child closes its copies as it starts; closing a copy leaves our lock
# held (flock(LOCK_UN) in the child would release it for us too).
_HELD_LOCKS: set[int] = set()


def _close_inherited_locks() -> None:
    for fd in _HELD_LOCKS:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


def close_inherited(path: Path) -> None:
    """In a forked child: close the descriptors inherited for the file ``path`` (such as the
    Whoosh writer's lock, which the parent holds for the whole run).  Linux only (it reads
    ``/proc/self/fd``); elsewhere a worker outlives its parent by at most its 1 s watch."""
    target = os.path.realpath(path)
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return
    for name in fds:
        try:
            if os.readlink(f"/proc/self/fd/{name}") == target:
                os.close(int(name))
        except OSError:
            pass  # the listing's own descriptor, closed by now


def lock_path(index_dir: Path) -> Path:
    """Where the write lock of ``index_dir`` lives: beside it, so it survives a swap."""
    return index_dir.parent / (index_dir.name + ".lock")


class WriteLock:
    """The one write lock of an index folder, held for a whole run.

    The lock file is removed on release.  A waiter may then hold a lock on a file that is
    no longer there, so after locking we check that the path still names our file.
    """

    def __init__(self, index_dir: Path, timeout: float):
        self.index_dir = Path(index_dir)
        self.path = lock_path(self.index_dir)
        self.timeout = timeout
        self.fd: int | None = None

    def __enter__(self) -> "WriteLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.timeout
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"another process is writing to the index {self.index_dir} (waited {self.timeout:g} s); "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.05)
                continue
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # the holder removed the file as we waited on it: lock the new one
        self.fd = fd
        _HELD_LOCKS.add(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # for an operator wondering who holds it
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        _HELD_LOCKS.discard(self.fd)
        os.close(self.fd)  # closing the last descriptor releases the flock
        self.fd = None


def clean_leftovers(index_dir: Path) -> list[Path]:
    """Remove what killed runs left beside and inside ``index_dir``; call under the lock.

    Returns the folders removed.  A run interrupted between the two renames of the
    fallback swap left the old index under ``.old-*`` and none in place: put it back.
    """
    index_dir = Path(index_dir)
    parent = index_dir.parent
    if not parent.is_dir():
        return []
    olds = sorted(parent.glob(glob_escape(index_dir.name) + _OLD + "*"), key=lambda p: p.stat().st_mtime)
    if olds and not index_dir.exists():
        os.rename(olds.pop(), index_dir)
        _fsync_dir(parent)
    removed = []
    for left in [*parent.glob(glob_escape(index_dir.name) + _REBUILD + "*"), *olds]:
        if left.is_dir() and not left.is_symlink():
            shutil.rmtree(left, ignore_errors=True)
            removed.append(left)
    remove_uncommitted(index_dir)
    return removed


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters taken literally."""
    return re.sub(r"([*?[])", r"[\1]", name)


def remove_uncommitted(index_dir: Path) -> None:
    """Delete files in ``index_dir`` that no commit refers to (a killed or failed writer's).

    Whoosh deletes them itself only at its next successful commit, which a full disk may
    never allow.  Skipped while any Whoosh writer holds the folder.
    """
    index_dir = Path(index_dir)
    if not index_dir.is_dir():
        return
    storage = FileStorage(str(index_dir))
    lock = storage.lock(INDEX_NAME + "_WRITELOCK")
    if not lock.acquire(blocking=False):
        return
    try:
        for entry in os.scandir(index_dir):
            if _WRITER_TEMP.match(entry.name):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
        try:
            toc = TOC.read(storage, INDEX_NAME)
        except Exception:  # noqa: BLE001 — no readable commit (or another version's): nothing to judge by
            return
        clean_files(storage, INDEX_NAME, toc.generation, toc.segments)
    finally:
        lock.release()


def abandon(writer) -> None:
    """Cancel a Whoosh writer after a failure, releasing its lock even if cancelling fails.

    On a full disk, ``cancel()`` itself fails while flushing the new segment's files, and
    would keep the folder locked so that its files could not be removed.
    """
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 — the first error is the one to report; this one follows from it
        for release in (lambda: writer._tempstorage.destroy(), lambda: writer.writelock.release()):
            try:
                release()
            except Exception:  # noqa: BLE001
                pass


def new_build_folder(index_dir: Path) -> Path:
    """An empty folder beside ``index_dir`` for a rebuild, with the mode ``index_dir`` has.

    ``tempfile.mkdtemp`` would make it 0700, and the swapped-in index would then be
    unreadable to the web server's user.
    """
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    built = index_dir.parent / f"{index_dir.name}{_REBUILD}{os.getpid()}-{secrets.token_hex(3)}"
    os.mkdir(built)  # the umask's mode, as any folder the user makes
    if index_dir.is_dir():
        os.chmod(built, stat.S_IMODE(os.stat(index_dir).st_mode))
    return built


def swap_in(built: Path, index_dir: Path, grace: float = 0.5) -> None:
    """Put the folder ``built`` in the place of ``index_dir`` in one step, then drop the old one.

    Linux's ``renameat2(RENAME_EXCHANGE)`` swaps two names atomically: at every instant
    ``index_dir`` is the old index or the new one.  Python's ``os`` has no binding for it,
    hence ctypes.  Elsewhere two renames are used, and a crash between them is repaired by
    :func:`clean_leftovers` on the next run.  The old folder is removed ``grace`` seconds
    later, so that a reader that was opening it as it was swapped out finishes opening it.
    """
    built, index_dir = Path(built), Path(index_dir)
    if not index_dir.exists():
        os.rename(built, index_dir)
        _fsync_dir(index_dir.parent)
        return
    if _exchange(built, index_dir):
        old = built
    else:
        old = index_dir.with_name(f"{index_dir.name}{_OLD}{os.getpid()}")
        os.rename(index_dir, old)
        try:
            os.rename(built, index_dir)
        except BaseException:
            # Put the old index back before failing: the caller removes ``built``, and readers
            # would otherwise find no index at all until the next run repairs it.
            os.rename(old, index_dir)
            raise
    _fsync_dir(index_dir.parent)
    time.sleep(grace)
    shutil.rmtree(old)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # a file system or kernel without the exchange
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (it is only in memory until then)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class IndexRun:
    """One run's hold on an index folder: the lock, a clean start, and its own files gone on failure.

    ``target`` is where the run writes: the index itself, or a new folder that replaces it
    atomically when the run ends well (``rebuild``).  A failed run leaves the folder as its
    last commit left it; a failure from a full disk becomes :class:`DiskFullError`.
    """

    def __init__(self, index_dir: Path, *, rebuild: bool = False, lock_timeout: float = 10.0):
        self.index_dir = Path(index_dir)
        self.rebuild = rebuild
        self.lock = WriteLock(self.index_dir, lock_timeout)
        self.cleaned: list[Path] = []
        self.target = self.index_dir
        self._existed = True
        self._committed = False

    def __enter__(self) -> "IndexRun":
        self.lock.__enter__()
        try:
            self.cleaned = clean_leftovers(self.index_dir)
            self._existed = self.index_dir.exists()
            if self.rebuild:
                self.target = new_build_folder(self.index_dir)
        except BaseException:
            self.lock.__exit__(None, None, None)
            raise
        return self

    def committed(self) -> None:
        """Say that the target now holds this run's commit (its files are no longer ours to remove)."""
        self._committed = True

    def __exit__(self, exc_type, exc, tb) -> bool:
        try:
            if exc is None:
                if self.rebuild:
                    try:
                        swap_in(self.target, self.index_dir)
                    except BaseException:
                        shutil.rmtree(self.target, ignore_errors=True)
                        raise
                return False
            if self.rebuild:
                shutil.rmtree(self.target, ignore_errors=True)
            elif not self._existed and not self._committed:
                shutil.rmtree(self.index_dir, ignore_errors=True)
            else:
                try:
                    remove_uncommitted(self.index_dir)
                except Exception:  # noqa: BLE001 — the run's own error is the one to report
                    pass
        finally:
            self.lock.__exit__(None, None, None)
        if is_disk_full(exc):
            raise DiskFullError(self._disk_full_message()) from exc
        return False

    def _disk_full_message(self) -> str:
        free = free_bytes(self.index_dir)
        where = f"the disk holding {self.index_dir} is full" + (f" ({free / 1e6:.1f} MB free)" if free is not None else "")
        if self._committed and not self.rebuild:
            kept = "the documents were committed but the index manifest could not be updated"
        elif not self.index_dir.exists():
            kept = "nothing was written"
        else:
            kept = f"nothing of this run was committed; the index keeps its previous {_doc_count(self.index_dir)} document(s)"
        return f"{where}: {kept}; free some space and run again"


def _doc_count(index_dir: Path) -> str:
    from whoosh import index as whoosh_index

    try:
        ix = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
        try:
            return str(ix.doc_count())
        finally:
            ix.close()
    except Exception:  # noqa: BLE001 — only for a message: an index that cannot be read has no count
        return "?"


# An analysis worker reports its failure as the text of its traceback (the exception object
# does not cross processes), which ends with the error's own line.
_DISK_FULL_IN_WORKER = re.compile(rf"^OSError: \[Errno ({'|'.join(str(e) for e in _DISK_FULL)})\]", re.M)


def is_disk_full(exc: BaseException | None) -> bool:
    """True when ``exc``, or an error it arose from, says the disk is full."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
            return True
        if isinstance(exc, RuntimeError) and _DISK_FULL_IN_WORKER.search(str(exc)):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def free_bytes(folder: Path) -> int | None:
    """Free space on the file system of ``folder`` (or its nearest existing parent)."""
    folder = Path(folder)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None
