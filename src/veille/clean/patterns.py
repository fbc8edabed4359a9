"""Boilerplate pattern files: loading and matching (format in ``data/boilerplate.txt``)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigError

SECTIONS = ("drop", "related", "stop", "comments", "comments-end", "outlet", "date")
LONG_LINE = 300  # unanchored [drop] patterns never drop lines longer than this

_LEADING = re.compile(r"^(?:[\s=\-–—•·*▶►→⇒»>|#~+]|[^\w\s«\"'(\[©])+")
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


def normalise(line: str) -> str:
    """The form a line is matched in: trimmed, collapsed, plain apostrophes, no leading bullet."""
    line = " ".join(line.translate(_APOS).split())
    return _LEADING.sub("", line).strip()


@dataclass(frozen=True)
class Rule:
    section: str
    regex: re.Pattern[str]
    anchored: bool
    origin: str  # "file:line" for error messages and debugging


@dataclass
class Patterns:
    """All rules by section, from the shipped file and the user's files."""

    rules: dict[str, list[Rule]] = field(default_factory=lambda: {s: [] for s in SECTIONS})

    def match(self, section: str, norm: str) -> Rule | None:
        """The first rule of ``section`` that matches the normalised line, if any."""
        for rule in self.rules[section]:
            if section == "drop" and not rule.anchored and len(norm) > LONG_LINE:
                continue
            if rule.regex.search(norm):
                return rule
        return None

    def group(self, section: str, name: str, norm: str) -> str | None:
        """The named group of the first ``section`` rule that matches, if any."""
        for rule in self.rules[section]:
            m = rule.regex.search(norm)
            if m and m.groupdict().get(name):
                return m.group(name).strip(" ,.;:-–|")
        return None


def parse(text: str, origin: str) -> list[Rule]:
    """Rules in one pattern file's text; raise ConfigError naming the bad line."""
    out: list[Rule] = []
    section: str | None = None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]") and line[1:-1].strip().lower() in SECTIONS:
            section = line[1:-1].strip().lower()
            continue
        where = f"{origin}:{n}"
        if section is None:
            raise ConfigError(f"{where}: pattern before any [section] header; start the file with one "
                              f"of {', '.join('[' + s + ']' for s in SECTIONS)}")
        flags = 0 if section == "outlet" else re.IGNORECASE
        pattern = unicodedata.normalize("NFC", line).translate(_APOS)
        try:
            regex = re.compile(pattern, flags)
        except re.error as e:
            raise ConfigError(f"{where}: not a valid regular expression ({e}); "
                              "escape special characters with a backslash") from e
        if section == "outlet" and "outlet" not in regex.groupindex:
            raise ConfigError(f"{where}: an [outlet] pattern needs a named group (?P<outlet>...)")
        if section == "date" and "date" not in regex.groupindex:
            raise ConfigError(f"{where}: a [date] pattern needs a named group (?P<date>...)")
        anchored = pattern.startswith("^") and pattern.endswith("$")
        out.append(Rule(section, regex, anchored, where))
    return out


@lru_cache(maxsize=8)
def load(extra: tuple[str, ...] = ()) -> Patterns:
    """The shipped patterns plus those in the ``extra`` files (cfg ``clean.patterns``)."""
    pats = Patterns()
    shipped = resources.files("veille").joinpath("data/boilerplate.txt").read_text(encoding="utf-8")
    sources: list[tuple[str, str]] = [(shipped, "boilerplate.txt")]
    for name in extra:
        path = Path(name).expanduser()
        try:
            sources.append((path.read_text(encoding="utf-8"), str(path)))
        except OSError as e:
            raise ConfigError(f"{path}: cannot read the pattern file ({e.strerror}); "
                              "fix the path in clean.patterns") from e
        except UnicodeDecodeError as e:
            raise ConfigError(f"{path}: the pattern file must be UTF-8") from e
    for text, origin in sources:
        for rule in parse(text, origin):
            pats.rules[rule.section].append(rule)
    return pats


def load_from(files: Iterable[str]) -> Patterns:
    return load(tuple(str(f) for f in files))
