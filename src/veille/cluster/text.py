"""A light French normaliser for story similarity (no spaCy here).

Lower-case, accent fold, split elisions (l', d', qu'), drop stopwords and numbers,
then strip the commonest inflectional and derivational endings so that "espionnage",
"espionner" and "espionne" meet. It is crude on purpose: it only has to make two
articles about the same story look alike, fast.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..text import fold_rsquo

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Longest first; a suffix is removed only if at least MIN_STEM characters remain.
_SUFFIXES = sorted({
    "issements", "issement", "ements", "ement", "ations", "ation", "itions", "ition",
    "ateurs", "ateur", "atrices", "atrice", "ismes", "isme", "istes", "iste",
    "iques", "ique", "ites", "ite", "eurs", "eur", "euses", "euse", "ables", "able",
    "ibles", "ible", "ances", "ance", "ences", "ence", "ives", "ive", "ifs", "if",
    "iennes", "ienne", "iens", "ien", "aires", "aire", "ages", "age",
    "erons", "eront", "erait", "eraient", "erez", "era", "ees", "ee", "es", "er",
    "ez", "ent", "ons", "ait", "aient", "ant", "ants", "antes", "ante",
    "aux", "s", "x", "e",
}, key=len, reverse=True)
MIN_STEM = 4


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Remove one common French ending, keeping at least MIN_STEM characters."""
    if not word[-1].isalpha():
        return word
    if word.endswith("eaux"):  # "réseaux" -> "reseau", not "rese"
        return word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            # Doubled final consonant after stripping ("espionn" -> "espion").
            if len(word) > MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiouy":
                word = word[:-1]
            break
    return word


def load_stopwords(extra_files: Iterable[str | Path] = ()) -> frozenset[str]:
    """The shipped French stopwords, plus the words of each file in ``extra_files``."""
    texts = [resources.files("veille").joinpath("data/stopwords_fr.txt").read_text("utf-8")]
    for name in extra_files:
        try:
            texts.append(Path(name).read_text(encoding="utf-8"))
        except OSError as e:
            raise ConfigError(f"{name}: cannot read the stopword file given in "
                              f"cluster.stopwords ({e.strerror})") from e
    words: set[str] = set()
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.update(fold_rsquo(w) for w in line.split())
    return frozenset(words)


class Normaliser:
    """Turns text into story terms: ``Normaliser()("Les États-Unis accusent…")``."""

    def __init__(self, stopwords: frozenset[str] | None = None):
        self.stopwords = stopwords if stopwords is not None else load_stopwords()

    def __call__(self, text: str) -> list[str]:
        folded = fold_rsquo(text).replace("'", " ")
        out = []
        stop = self.stopwords
        for w in _WORD.findall(folded):
            if len(w) < 2 or w in stop or w.isdigit():
                continue
            out.append(stem(w))
        return out
