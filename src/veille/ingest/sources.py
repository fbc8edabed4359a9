"""Turn what the user typed (paths, folders, globs) into a sorted stream of files."""
from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..records import Failure

_GLOB_CHARS = set("*?[")


def shown(path: str | Path) -> str:
    """A path as text that can be stored and printed: a file name that is not valid UTF-8
    (``café.txt`` written in Latin-1) shows its odd bytes as ``\\xe9``."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")
"""Folders of the operating system, never walked: they hold no documents, and endless or
blocking files."""


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _system(real: str) -> bool:
    return any(_inside(real, folder) for folder in SYSTEM_FOLDERS)


def _walk(root: Path, *, follow_symlinks: bool) -> Iterator[Path | Failure]:
    """Files under ``root`` in sorted order (depth first, no depth limit).

    A symbolic link is followed only when ``follow_symlinks`` is set and its target lies
    inside ``root``; a link that leads out of it is a failure saying so. A folder reached
    twice (a link loop) is read once; system folders (``/proc``, ``/sys``, ``/dev``) are
    passed over."""
    real_root = os.path.realpath(root)
    seen: set[tuple[int, int]] = set()
    # (entries left, the folder's real path): a child that is not a link is real_dir/name,
    # so no path is resolved again (resolving costs a system call per level of depth).
    stack: list[tuple[Iterator[os.DirEntry[str]], str]] = []

    def enter(folder: Path, real: str) -> Failure | None:
        try:
            st = folder.stat()
        except OSError as e:
            return Failure(shown(folder), f"cannot open folder: {e.strerror}")
        key = (st.st_dev, st.st_ino)
        if key in seen:
            return None  # already visited: a link loop or a second link to the same folder
        seen.add(key)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            return Failure(shown(folder), f"cannot list folder: {e.strerror}; check its permissions")
        stack.append((iter(entries), real))
        return None

    problem = enter(root, real_root)
    if problem is not None:
        yield problem
    while stack:
        entries, real_dir = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if _is_hidden(entry.name):
            continue
        path = Path(entry.path)
        try:
            if entry.is_symlink():
                if not follow_symlinks:
                    continue
                real = os.path.realpath(path)
                if not os.path.exists(real):
                    yield Failure(shown(path), "broken symbolic link: its target does not exist")
                    continue
                if not _inside(real, real_root):
                    yield Failure(shown(path), f"symbolic link to {shown(real)}, outside the folder "
                                               "given: not followed (name that path to read it)")
                    continue
            else:
                real = os.path.join(real_dir, entry.name)
            if entry.is_dir(follow_symlinks=True):
                if _system(real):
                    continue
                problem = enter(path, real)
                if problem is not None:
                    yield problem
            elif entry.is_file(follow_symlinks=True):
                yield path
            else:
                yield Failure(shown(path), "not a regular file (a pipe, socket or device): not read")
        except OSError as e:
            yield Failure(shown(path), f"cannot read: {e.strerror}")


def expand(sources: Iterable[str], *, follow_symlinks: bool = True) -> Iterator[tuple[str, Path] | Failure]:
    """``(as_given, path)`` for every file the sources name, or a Failure.

    Folders are walked in sorted order, at any depth (hidden entries skipped; links
    followed only inside the folder, see :func:`_walk`), globs are expanded (``**``
    allowed) and sorted. The ``as_given`` string keeps the user's spelling (see
    :func:`shown` for file names that are not UTF-8). Nothing under ``/proc``, ``/sys``
    or ``/dev`` is read, nor anything that is not a regular file or a folder (a pipe, a
    device).
    """
    seen_files: set[Path] = set()
    for source in sources:
        source = str(source)
        if any(c in _GLOB_CHARS for c in source) and not Path(source).exists():
            try:
                matches = sorted(glob.glob(source, recursive=True))
            except (RecursionError, OSError) as e:
                why = "folders too deep for '**'" if isinstance(e, RecursionError) else e.strerror
                yield Failure(shown(source), f"this pattern cannot be expanded ({why}); name the folder "
                                             "instead, it is read at any depth")
                continue
            if not matches:
                yield Failure(shown(source), "no file matches this pattern")
                continue
            candidates = [Path(m) for m in matches]
        else:
            candidates = [Path(source)]
        for cand in candidates:
            if _system(os.path.realpath(cand)):
                walker: Iterable[Path | Failure] = [
                    Failure(shown(cand), "a file or folder of the operating system, not a document: not read")]
            elif cand.is_dir():
                walker = _walk(cand, follow_symlinks=follow_symlinks)
            elif cand.is_file():
                walker = [cand]
            elif cand.exists():
                walker = [Failure(shown(cand), "not a regular file (a pipe, socket or device): not read")]
            elif cand.is_symlink():
                walker = [Failure(shown(cand), "broken symbolic link: its target does not exist")]
            else:
                walker = [Failure(shown(cand), "no such file or folder; check the path")]
            for item in walker:
                if isinstance(item, Failure):
                    yield item
                    continue
                resolved = _resolve(item)
                if resolved in seen_files:
                    continue  # named twice (overlapping folders or globs): read once
                seen_files.add(resolved)
                yield shown(item), item


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()
