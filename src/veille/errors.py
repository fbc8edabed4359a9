"""The errors veille raises on purpose. Each message says what to do about it."""
from __future__ import annotations


class VeilleError(Exception):
    """Base class: an error with a message meant for the user (no traceback)."""


class ConfigError(VeilleError):
    """A settings file or option is wrong."""


class InputError(VeilleError):
    """An input cannot be read or understood; the message names it and the reason."""


class StoreError(VeilleError):
    """The store cannot be opened or written."""


class QueryError(StoreError):
    """A search query the full-text engine cannot read; the message says how to write it."""


def yaml_problem(e: Exception) -> str:
    """A YAML parser's error in one line: where, then what (``line 2, column 1: expected the
    node content, but found '<stream end>'``), without the parser's drawing of the line."""
    mark = getattr(e, "problem_mark", None)
    what = getattr(e, "problem", None) or getattr(e, "context", None)
    if not what:
        return one_line(str(e))
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return one_line(f"{where}{what}")


def one_line(text: str) -> str:
    """``text`` with its lines joined and spaces collapsed: an error message fits one line."""
    return " ".join(text.split())


class MissingDependency(VeilleError):
    """An optional dependency is not installed; the message gives the pip command."""

    def __init__(self, package: str, extra: str):
        super().__init__(f"this needs '{package}', which is not installed: "
                         f"pip install 'veille[{extra}]'")
