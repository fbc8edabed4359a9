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


def _walk(root: Path, *, follow_symlinks: bool, seen: set[tuple[int, int]]) -> Iterator[Path | Failure]:
    """Files under ``root`` in sorted order; a folder reached twice (symlink loop) is skipped."""
    try:
        st = root.stat()
    except OSError as e:
        yield Failure(shown(root), f"cannot open folder: {e.strerror}")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return  # already visited: a symlink loop or a second link to the same folder
    seen.add(key)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as e:
        yield Failure(shown(root), f"cannot list folder: {e.strerror}; check its permissions")
        return
    for entry in entries:
        if _is_hidden(entry.name):
            continue
        path = root / entry.name
        try:
            is_link = entry.is_symlink()
            if is_link and not follow_symlinks:
                continue
            if entry.is_dir(follow_symlinks=True):
                yield from _walk(path, follow_symlinks=follow_symlinks, seen=seen)
            elif entry.is_file(follow_symlinks=True):
                yield path
            elif is_link:
                yield Failure(shown(path), "broken symbolic link: its target does not exist")
        except OSError as e:
            yield Failure(shown(path), f"cannot read: {e.strerror}")


def expand(sources: Iterable[str], *, follow_symlinks: bool = True) -> Iterator[tuple[str, Path] | Failure]:
    """``(as_given, path)`` for every file the sources name, or a Failure.

    Folders are walked recursively in sorted order (hidden entries skipped), globs are
    expanded (``**`` allowed) and sorted. The ``as_given`` string keeps the user's spelling
(see :func:`shown` for file names that are not UTF-8).
    """
    seen_files: set[Path] = set()
    for source in sources:
        source = str(source)
        if any(c in _GLOB_CHARS for c in source) and not Path(source).exists():
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                yield Failure(shown(source), "no file matches this pattern")
                continue
            candidates = [Path(m) for m in matches]
        else:
            candidates = [Path(source)]
        for cand in candidates:
            if cand.is_dir():
                walker: Iterable[Path | Failure] = _walk(cand, follow_symlinks=follow_symlinks, seen=set())
            elif cand.exists():
                walker = [cand]
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
