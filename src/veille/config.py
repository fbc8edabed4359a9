"""Settings: ``defaults.toml`` shipped with the package, overlaid by a user's file.

A user's TOML file sets only the keys it wants to change::

    [cluster]
    window_days = 14

``load_config(path)`` returns a :class:`Config`: one frozen dataclass per table of
``defaults.toml`` (``cfg.nlp.batch_size``, ``cfg.cluster.window_days``), each checked
when it is built, with a message naming the setting and what it must be. Every default
value lives in ``defaults.toml``, none in code: ``Config()`` is the defaults. Each stage
reads its own table and ignores the rest.
"""
from __future__ import annotations

import copy
import tomllib
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError


def _check(table: str, name: str, ok: bool, what: str, value: Any) -> None:
    if not ok:
        raise ConfigError(f"{table}.{name} must be {what}, got {value!r}")


class _Table:
    """A validated table: field types are checked (an int is a float, a list of strings
    becomes a tuple), then :meth:`_limits`."""

    TABLE = ""

    def __post_init__(self) -> None:
        for f, kind in _hints(type(self)).items():
            value = getattr(self, f)
            if kind is bool:
                _check(self.TABLE, f, isinstance(value, bool), "true or false", value)
            elif kind is int:
                _check(self.TABLE, f, isinstance(value, int) and not isinstance(value, bool), "a whole number",
                       value)
            elif kind is float:
                _check(self.TABLE, f, isinstance(value, (int, float)) and not isinstance(value, bool),
                       "a number", value)
            elif kind is str:
                _check(self.TABLE, f, isinstance(value, str), "a text", value)
            else:  # tuple[str, ...]
                _check(self.TABLE, f, isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value),
                       "a list of texts", value)
                object.__setattr__(self, f, tuple(value))
        self._limits()

    def _limits(self) -> None:
        """Ranges and relations between the table's values."""

    def _at_least(self, name: str, low: float) -> None:
        value = getattr(self, name)
        _check(self.TABLE, name, value >= low, f"at least {low}", value)


@cache
def _hints(cls: type) -> dict[str, Any]:
    hints = get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls)}


@dataclass(frozen=True)
class IngestSettings(_Table):
    """``[ingest]``: limits on what is read."""

    TABLE = "ingest"
    max_bytes: int
    max_line_chars: int
    follow_symlinks: bool

    def _limits(self) -> None:
        self._at_least("max_bytes", 1)
        self._at_least("max_line_chars", 1)


@dataclass(frozen=True)
class CleanSettings(_Table):
    """``[clean]``: boilerplate patterns and the cleaner's thresholds."""

    TABLE = "clean"
    patterns: tuple[str, ...]
    min_paragraph_chars: int
    repeat_min_pages: int

    def _limits(self) -> None:
        self._at_least("min_paragraph_chars", 0)
        self._at_least("repeat_min_pages", 1)


@dataclass(frozen=True)
class NlpSettings(_Table):
    """``[nlp]``: the spaCy model, batches, processes, extra dictionaries."""

    TABLE = "nlp"
    model: str
    batch_size: int
    batch_chars: int
    max_chars: int
    workers: int
    actors: tuple[str, ...]
    lexicon: tuple[str, ...]

    def _limits(self) -> None:
        self._at_least("batch_size", 1)
        self._at_least("batch_chars", 1000)
        self._at_least("max_chars", 1)
        self._at_least("workers", 1)


@dataclass(frozen=True)
class DedupeSettings(_Table):
    """``[dedupe]``: what counts as a copy, and for how long articles are remembered."""

    TABLE = "dedupe"
    threshold: float
    num_perm: int
    shingle: int
    window_days: float
    recent: int
    batch_size: int

    def _limits(self) -> None:
        _check("dedupe", "threshold", 0.0 < self.threshold <= 1.0, "in (0, 1]", self.threshold)
        self._at_least("num_perm", 16)
        self._at_least("shingle", 1)
        _check("dedupe", "window_days", self.window_days >= 0, "0 (no limit) or more", self.window_days)
        self._at_least("recent", 1)
        self._at_least("batch_size", 1)


@dataclass(frozen=True)
class ClusterSettings(_Table):
    """``[cluster]``: how articles join stories (README, "Stories")."""

    TABLE = "cluster"
    threshold: float
    window_days: float
    actor_weight: float
    event_weight: float
    title_weight: int
    fade: float
    link_members: int
    candidates: int
    late_days: float
    batch_size: int
    stopwords: tuple[str, ...]

    def _limits(self) -> None:
        _check("cluster", "threshold", 0.0 < self.threshold <= 1.0, "in (0, 1]", self.threshold)
        _check("cluster", "window_days", self.window_days > 0, "positive", self.window_days)
        weights = (self.actor_weight, self.event_weight)
        _check("cluster", "actor_weight and cluster.event_weight",
               min(weights) >= 0 and sum(weights) < 1, ">= 0 and add up to less than 1", weights)
        _check("cluster", "fade", 0.0 <= self.fade <= 1.0, "in [0, 1]", self.fade)
        self._at_least("link_members", 1)
        self._at_least("candidates", 1)
        _check("cluster", "late_days", self.late_days >= 0, "0 or more", self.late_days)
        self._at_least("batch_size", 1)


@dataclass(frozen=True)
class StoreSettings(_Table):
    """``[store]``: the store's file and the articles written per transaction."""

    TABLE = "store"
    path: str
    batch_size: int

    def _limits(self) -> None:
        self._at_least("batch_size", 1)


@dataclass(frozen=True)
class WatchSettings(_Table):
    """``[watch]``: how feeds and pages are fetched, and watch rounds."""

    TABLE = "watch"
    user_agent: str
    timeout: float
    deadline: float
    max_bytes: int
    max_redirects: int
    retries: int
    backoff: float
    max_retry_after: float
    host_delay: float
    max_crawl_delay: float
    respect_robots: bool
    robots_ttl: float
    max_attempts: int
    batch: int

    def _limits(self) -> None:
        for name in ("timeout", "deadline"):
            _check("watch", name, getattr(self, name) > 0, "positive", getattr(self, name))
        self._at_least("max_bytes", 1)
        for name in ("max_redirects", "retries", "backoff", "max_retry_after", "host_delay", "max_crawl_delay",
                     "robots_ttl"):
            self._at_least(name, 0)
        self._at_least("max_attempts", 1)
        self._at_least("batch", 1)


TABLES: dict[str, type[_Table]] = {"ingest": IngestSettings, "clean": CleanSettings, "nlp": NlpSettings,
                                   "dedupe": DedupeSettings, "cluster": ClusterSettings, "store": StoreSettings,
                                   "watch": WatchSettings}
"""Table name -> its settings class, in the order of ``defaults.toml``."""


def _default(name: str) -> Any:
    return getattr(_defaults(), name)


@dataclass(frozen=True)
class Config:
    """All settings, one validated table per stage: ``cfg.dedupe.threshold``."""

    ingest: IngestSettings = field(default_factory=lambda: _default("ingest"))
    clean: CleanSettings = field(default_factory=lambda: _default("clean"))
    nlp: NlpSettings = field(default_factory=lambda: _default("nlp"))
    dedupe: DedupeSettings = field(default_factory=lambda: _default("dedupe"))
    cluster: ClusterSettings = field(default_factory=lambda: _default("cluster"))
    store: StoreSettings = field(default_factory=lambda: _default("store"))
    watch: WatchSettings = field(default_factory=lambda: _default("watch"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        """Settings from a dict of tables holding every key (the defaults merged with a user's file)."""
        tables = {}
        for name, table_cls in TABLES.items():
            values = dict(data.get(name, {}))
            missing = [f.name for f in fields(table_cls) if f.name not in values]
            if missing:
                raise ConfigError(f"[{name}] lacks {', '.join(missing)}; the installed defaults.toml is damaged")
            try:
                tables[name] = table_cls(**values)
            except TypeError as e:
                raise ConfigError(f"[{name}]: {e}") from e
        return cls(**tables)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """The settings as TOML-like tables."""
        return {name: asdict(getattr(self, name)) for name in TABLES}

    def with_overrides(self, **tables: dict[str, Any]) -> Config:
        """A copy with some keys changed, checked: ``cfg.with_overrides(nlp={"workers": 2})``."""
        data = self.as_dict()
        _merge(data, {k: v for k, v in tables.items() if v})
        return Config.from_dict(data)


def _toml_defaults() -> dict[str, Any]:
    text = resources.files("veille").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _defaults() -> Config:
    return Config.from_dict(_toml_defaults())


def _merge(base: dict[str, Any], extra: dict[str, Any], where: str = "") -> dict[str, Any]:
    for key, value in extra.items():
        if key not in base:
            raise ConfigError(f"unknown setting '{where}{key}'; known: {', '.join(sorted(base))}")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"setting '{where}{key}' must be a table")
            _merge(base[key], value, f"{where}{key}.")
        else:
            base[key] = value
    return base


def load_config(path: str | Path | None = None) -> Config:
    """The defaults, overlaid by the TOML file at ``path`` if given."""
    data = copy.deepcopy(_toml_defaults())
    if path is not None:
        p = Path(path)
        try:
            user = tomllib.loads(p.read_text(encoding="utf-8"))
        except OSError as e:
            raise ConfigError(f"{p}: cannot read the settings file ({e.strerror})") from e
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{p}: not valid TOML ({e})") from e
        _merge(data, user)
    return Config.from_dict(data)


__all__ = [
    "TABLES",
    "CleanSettings",
    "ClusterSettings",
    "Config",
    "DedupeSettings",
    "IngestSettings",
    "NlpSettings",
    "StoreSettings",
    "WatchSettings",
    "load_config",
]
