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


class MissingDependency(VeilleError):
    """An optional dependency is not installed; the message gives the pip command."""

    def __init__(self, package: str, extra: str):
        super().__init__(f"this needs '{package}', which is not installed: "
                         f"pip install 'veille[{extra}]'")
