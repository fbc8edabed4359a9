"""Text normalisers shared by every stage: folded forms for comparison, words, name keys.

This module imports nothing from veille (like ``records.py``), so any stage may use it.
Each function is pure; the results depend on the text only.

The folds differ on purpose, each in what its users have always compared; using one in
place of another would change what matches:

- :func:`fold`: lower case, accents removed, the typographic apostrophes ’ and ‘ made
  straight. The form of the actor dictionary's word lists (demonyms, titles, heads of
  government, source words) and of what the actor, coreference and cited-source rules
  compare with them (``nlp/dictionary.py``, ``nlp/actors.py``, ``nlp/coref.py``,
  ``nlp/sources.py``, the ``ftext``/``flemma`` token columns of ``nlp/facts.py``).
- :func:`fold_rsquo`: as :func:`fold`, but only ’ is made straight (‘ stays as
  written). The form of the event lexicon, modality and context words
  (``nlp/lexicon.py``) and of what the quote and event rules compare with them
  (``nlp/events.py``, ``nlp/quotes.py``, ``nlp/modality.py``, ``nlp/syntax.py``, the
  ``lemma_key`` column of ``nlp/facts.py``); also the story terms and stopwords of
  ``cluster/``.
- :func:`fold_search` (and :func:`fold_search_map`, which also maps each folded
  character back to the text): case folded with ``str.casefold`` ("ß" -> "ss"), accents
  removed, ’ ‘ ` ʼ made straight. The form in which watch rules compare keywords and
  names with articles (``watch/rules.py``).
- :func:`words`: the lower-case, accent-free words (``\\w+``) of a text, punctuation and
  spacing ignored; the duplicate detector's shingles (``dedupe/``).
- :func:`name_key`: the matching form of a name: accents, hyphens, apostrophes and spaces
  evened out, case kept ("Maison-Blanche" = "Maison Blanche", "Washington Post" ≠
  "washington post"); the actor dictionary's names (``nlp/dictionary.py``,
  ``nlp/actors.py``).
- :func:`clean_name`: a display name: straight apostrophes, single spaces (actor and
  cited-source names in ``nlp/``).

One function makes input valid rather than comparable: :func:`valid_charrefs`, XML or
HTML bytes whose numeric character references all name a character (``&#xD800;`` becomes
``&#xFFFD;``), for the feed parser (``ingest/``, ``watch/``). Its companion for strings,
``valid_text``, lives in ``records.py``, whose records apply it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)


def _unaccented(text: str) -> str:
    """``text`` decomposed (NFKD) without its combining marks."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes (’ and ‘ become ')."""
    return _unaccented(text.replace("’", "'").replace("‘", "'").lower())


def fold_rsquo(text: str) -> str:
    """Lower case, no accents, ’ made straight (‘ kept): see the module docstring."""
    if len(text) <= 40:  # words and lemmas come back again and again
        return _fold_rsquo_word(text)
    return _fold_rsquo(text)


def _fold_rsquo(text: str) -> str:
    return _unaccented(text.replace("’", "'").lower())


_fold_rsquo_word = lru_cache(maxsize=65536)(_fold_rsquo)


def fold_search(text: str) -> str:
    """Case folded, no accents, straight apostrophes (’ ‘ ` ʼ become ')."""
    return fold_search_map(text)[0]


def fold_search_map(text: str) -> tuple[str, list[int]]:
    """:func:`fold_search` of ``text`` and, for each of its characters, the offset of the
    character of ``text`` it comes from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in "’‘`ʼ":
            ch = "'"
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            for low in part.casefold():
                out.append(low)
                where.append(i)
    return "".join(out), where


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words of ``text`` (punctuation and spacing ignored)."""
    return _WORD.findall(_unaccented(text.lower()))


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The matching form of a name: accents, hyphens, apostrophes and spaces evened out,
    case kept (so "Washington Post" ≠ "washington post", "Maison-Blanche" = "Maison Blanche")."""
    text = _unaccented(text.replace("’", "'").replace("‘", "'"))
    text = re.sub(r"[\s\-‐‑–]+", " ", text)
    text = re.sub(r"' ", "'", text)
    return text.strip()


def clean_name(text: str) -> str:
    """A display name: straight apostrophes, single spaces."""
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).strip()


_CHARREF = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]+)|0*([0-9]+))")


def _charref(m: re.Match[bytes]) -> bytes:
    digits = m.group(1) if m.group(1) is not None else m.group(2)
    if len(digits) > 8:
        return b"&#xFFFD"
    code = int(digits, 16) if m.group(1) is not None else int(digits)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF or code == 0:
        return b"&#xFFFD"
    return m.group(0)


def valid_charrefs(data: bytes) -> bytes:
    """XML/HTML bytes with every numeric character reference that names no character (a
    surrogate, zero, beyond U+10FFFF) replaced by ``&#xFFFD`` (what follows it is kept)."""
    if b"&#" not in data:
        return data
    return _CHARREF.sub(_charref, data)


__all__ = ["clean_name", "fold", "fold_rsquo", "fold_search", "fold_search_map", "name_key", "valid_charrefs", "words"]
