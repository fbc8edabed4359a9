"""Settings: ``defaults.toml`` shipped with the package, overlaid by a user's file.

A user's TOML file sets only the keys it wants to change::

    [cluster]
    window_days = 14

``load_config(path)`` returns a :class:`Config`; each stage reads its own table
(``cfg.section("cluster")``) and ignores the rest.
"""
from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError


def _defaults() -> dict[str, Any]:
    text = resources.files("veille").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


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


@dataclass(frozen=True)
class Config:
    """All settings, by stage. Read with ``cfg.section(name)`` or ``cfg.get(name, key)``."""

    data: dict[str, Any] = field(default_factory=_defaults)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.data.get(name, {}))

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self.data.get(section, {}).get(key, default)

    def with_overrides(self, **sections: dict[str, Any]) -> "Config":
        """A copy with some keys changed: ``cfg.with_overrides(nlp={"workers": 2})``."""
        data = copy.deepcopy(self.data)
        _merge(data, {k: v for k, v in sections.items() if v})
        return Config(data)


def load_config(path: str | Path | None = None) -> Config:
    """The defaults, overlaid by the TOML file at ``path`` if given."""
    data = _defaults()
    if path is not None:
        p = Path(path)
        try:
            user = tomllib.loads(p.read_text(encoding="utf-8"))
        except OSError as e:
            raise ConfigError(f"{p}: cannot read the settings file ({e.strerror})") from e
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{p}: not valid TOML ({e})") from e
        _merge(data, user)
    return Config(data)
