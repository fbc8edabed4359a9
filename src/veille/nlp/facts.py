"""Per-Doc token facts, read once and shared by every pass over a parsed article.

Each pass of the resolution, quote and event rules used to walk the Doc's tokens and
read their attributes again; a spaCy ``Token`` is a fresh object on every access and
``Doc.text`` joins every token each time it is read. :class:`DocFacts` reads the text and
the columns the rules filter on (part of speech, relation, lemma, lower case, text,
character offset) once per Doc, so that a pass can skip the tokens it does not care
about without touching a ``Token``.

The stage builds the facts of each Doc once and hands them to actor resolution, which
keeps them in its :class:`~.resolution.Resolution`; cited sources, quotes and events read
them from there. A Doc must not be changed while its facts are in use.
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.attrs import DEP, IDX, LEMMA, LOWER, ORTH, POS, SPACY
from spacy.tokens import Doc, Span, Token

from ..text import fold, fold_rsquo

_COLUMNS = [POS, DEP, LEMMA, LOWER, ORTH, IDX, SPACY]
# Strings of the hashes seen (parts of speech, relations, words, lemmas), for every Doc.
_NAMES: dict[int, str] = {0: ""}
_MAX_NAMES = 1_000_000
# For each function of derived columns (see DocFacts.derived): its value for every string seen.
_DERIVED: dict[Callable[[str], str], dict[str, str]] = {}


class DocFacts:
    """The text, tokens and token columns of one Doc (see the module docstring)."""

    __slots__ = (
        "_derived",
        "_sent_of",
        "_sents",
        "_toks",
        "dep",
        "doc",
        "idx",
        "lemma",
        "lower",
        "memo",
        "n",
        "pos",
        "text",
        "words",
    )

    def __init__(self, doc: Doc):
        self.doc = doc
        self.n = len(doc)
        cols = [c.tolist() for c in doc.to_array(_COLUMNS).reshape(self.n, len(_COLUMNS)).T] \
            if self.n else [[] for _ in _COLUMNS]
        names = _NAMES
        if len(names) > _MAX_NAMES:
            names.clear()
            names[0] = ""
        strings = doc.vocab.strings
        for col in cols[:5]:
            for h in set(col).difference(names):
                names[h] = strings[h]
        get = names.__getitem__
        self.pos: list[str] = list(map(get, cols[0]))
        self.dep: list[str] = list(map(get, cols[1]))
        self.lemma: list[str] = list(map(get, cols[2]))
        self.lower: list[str] = list(map(get, cols[3]))
        self.words: list[str] = list(map(get, cols[4]))
        self.idx: list[int] = cols[5]
        # As Doc.text: each token's text and its trailing space, if any.
        self.text: str = "".join([w + " " if sp else w for w, sp in zip(self.words, cols[6])])
        self._toks: list[Token] | None = None
        self._derived: dict[str, list[str]] = {}
        self.memo: dict = {}  # what the rules compute once per Doc (sentence dates, context tags)
        self._sents: list[Span] | None = None
        self._sent_of: list[int] | None = None

    @property
    def toks(self) -> list[Token]:
        """The Doc's tokens, one object per token."""
        if self._toks is None:
            self._toks = list(self.doc)
        return self._toks

    def derived(self, name: str, column: list[str], fn: Callable[[str], str]) -> list[str]:
        """``[fn(v) for v in column]``, kept under ``name`` for this Doc; ``fn`` (a pure,
        module-level function) runs once per distinct string and process."""
        out = self._derived.get(name)
        if out is None:
            values = _DERIVED.get(fn)
            if values is None or len(values) > _MAX_NAMES:
                values = _DERIVED[fn] = {}
            for v in set(column).difference(values):
                values[v] = fn(v)
            out = self._derived[name] = list(map(values.__getitem__, column))
        return out

    @property
    def ftext(self) -> list[str]:
        """Each token's text, folded (``text.fold``)."""
        return self.derived("ftext", self.words, fold)

    @property
    def flemma(self) -> list[str]:
        """Each token's lemma, folded (``text.fold``)."""
        return self.derived("flemma", self.lemma, fold)

    @property
    def lemma_key(self) -> list[str]:
        """Each token's lemma as the event lexicon matches it (``text.fold_rsquo``)."""
        return self.derived("lemma_key", self.lemma, fold_rsquo)

    @property
    def sents(self) -> list[Span]:
        """The Doc's sentences."""
        if self._sents is None:
            self._sents = list(self.doc.sents)
        return self._sents

    @property
    def sent_of(self) -> list[int]:
        """The index (in :attr:`sents`) of each token's sentence."""
        if self._sent_of is None:
            out = [0] * self.n
            for k, s in enumerate(self.sents):
                for i in range(s.start, s.end):
                    out[i] = k
            self._sent_of = out
        return self._sent_of

    @property
    def paragraph_of(self) -> list[int]:
        """The paragraph number of each token: a token holding a line break ends one."""
        par = self.memo.get("paragraph_of")
        if par is None:
            par, k = [], 0
            for w in self.words:
                par.append(k)
                if "\n" in w:
                    k += 1
            self.memo["paragraph_of"] = par
        return par

    def sent(self, i: int) -> Span:
        """The sentence of token ``i`` (as ``doc[i].sent``)."""
        return self.sents[self.sent_of[i]]

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` without building the Span (token indexes, clamped)."""
        start, end = max(0, start), min(self.n, end)
        if start >= end:
            return ""
        last = end - 1
        return self.text[self.idx[start]: self.idx[last] + len(self.words[last])]


__all__ = ["DocFacts"]
