#!/usr/bin/env python3
"""Scores of veille's extraction on a gold set, and every miss grouped by its likely cause.

Usage: python bench/eval_gold.py GOLD ARTICLES [--db FILE] [--config FILE] [--json]
                                 [--only events|quotes|sources|actors]

GOLD is a gold file in the scorer's format (``{"groups": …, "articles": {key: {"actors",
"cited_sources", "events", "quotes", …}}}``); ARTICLES is what ``veille run`` reads: a
.jsonl file, a folder of files, a glob. The pipeline runs on ARTICLES into a fresh store
(a temporary one, or ``--db FILE``, replaced if it exists, kept afterwards), the store is
exported, and the export is scored with the scorer's rules (``bench/gold_rules.py``).
Printed: every miss and extra, grouped as below, then the figures; the last line is one
JSON object with the figures (same keys as the scorer's) and the number of misses for
each cause under ``"causes"``. ``--json`` prints only that line, with every miss under
``"details"``. ``--only`` prints the misses of one part (the figures stay complete).

Causes. They are a heuristic, meant to say where to look, not a verdict. The place of a
gold event is the article's sentences that name its actor or its recipient (a mention of
an exported actor that matches the gold alternatives, or a gold alternative of more
than three characters written in the sentence) and the sentences holding the gold
``evidence`` when there is one. Triggers are looked for there with the event lexicon
(``veille.nlp.lexicon``, with the lexicon files of ``--config``) on a spaCy parse of each
sentence: a token whose lemma, form or guessed first-group infinitive is an entry of an
accepted type; a support verb needs its noun within six tokens, an entry with a
marker ("appeler à") needs that word after the verb. This is looser than the event coder,
which reads the dependency tree. A missed gold event (not optional) gets the first cause
that applies:

- ``actor not resolved``: the gold actor, or the gold recipient, matches none of the
  article's exported actors;
- ``wrong recipient``: an extra event (one that matches no gold event) at the place,
  of an accepted type, with the gold actor and another recipient;
- ``wrong actor``: an extra event at the place, of an accepted type, with another actor;
- ``wrong type``: an extra event at the place with the gold actor and recipient and
  another type;
- ``trigger without actor``: a trigger of an accepted type at the place (a lexicon
  predicate, or the trigger of an exported event), but no event for this actor and
  recipient;
- ``no trigger``: none of the above.

Found gold events whose modality the gold does not accept are listed as ``attribution``.
Extra events are grouped by whether their actor and recipient appear in any gold event
of the article, then by type. Quotes: a missed gold quote is ``no quote found`` (no
exported quote holds its opening words), ``speaker not resolved`` (found, and the gold
speaker matches none of the article's actors) or ``found, wrong speaker``; extra quotes
are listed. Cited sources: the gold sources not found, and the exported ones that match
no gold source. Actors: the gold actors not found, saying whether the text writes one of
their gold names.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gold_rules import (
    Finder,
    Record,
    actor_strings,
    all_actor_strings,
    article_actors,
    cited_strings,
    event_matches,
    expand,
    matches,
    modalities,
    norm,
    quote_has,
    score,
    speaker_matches,
)

PARTS = ("events", "quotes", "sources", "actors")
EVENT_CAUSES = ("actor not resolved", "wrong recipient", "wrong actor", "wrong type",
                "trigger without actor", "no trigger")
QUOTE_CAUSES = ("no quote found", "speaker not resolved", "found, wrong speaker")
SQLITE_MAGIC = b"SQLite format 3\x00"


# -- parsing and triggers ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lemma: str
    pos: str = ""


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    tokens: list[Token]
    normed: str = ""

    def __post_init__(self) -> None:
        self.normed = norm(self.text)

    def holds(self, span: Iterable[int] | None) -> bool:
        """Whether a character span overlaps the sentence."""
        if not span:
            return False
        a, b = list(span)[:2]
        return a < self.end and b > self.start


Parser = Callable[[str], list[Sentence]]


def spacy_parser(model: str) -> Parser:
    """Sentences with their tokens and lemmas from the spaCy model ``model``."""
    import spacy

    try:
        nlp = spacy.load(model, exclude=["ner"])
    except OSError as e:
        raise SystemExit(f"eval_gold: the spaCy model '{model}' is not installed "
                         f"(pip install {model.replace('_', '-')})") from e

    def parse(text: str) -> list[Sentence]:
        doc = nlp(text)
        return [Sentence(s.start_char, s.end_char, s.text,
                         [Token(t.idx, t.idx + len(t.text), t.text, t.lemma_, t.pos_) for t in s if not t.is_space])
                for s in doc.sents]
    return parse


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    pattern: str
    start: int
    end: int
    text: str


NOUN_WINDOW = 6  # tokens between a support verb and its noun ("a donné mercredi son accord")
_PREP = {"au": "a", "aux": "a", "du": "de", "des": "de", "d'": "de"}


_ENDINGS = ("ees", "ee", "es", "e", "ent", "ons", "ez", "ait", "aient")


def _keys(tok: Token, fold: Callable[[str], str]) -> list[str]:
    """Lexicon keys of a token: lemma, form, and, for a verb, a participle or a token the
    lemmatizer left as it is, the guessed first-group infinitive ("condamnons", "accusée")."""
    low, lemma = fold(tok.text), fold(tok.lemma)
    keys = [lemma, low]
    if tok.pos in ("VERB", "AUX", "ADJ") or lemma == low:
        keys += [low[: -len(end)] + "er" for end in _ENDINGS if low.endswith(end) and len(low) > len(end) + 2]
    return list(dict.fromkeys(k for k in keys if k))


def find_triggers(sentence: Sentence, lex: Any) -> list[Trigger]:
    """Lexicon predicates of a sentence (any type), loosely matched (see the docstring)."""
    from veille.text import fold_rsquo as fold  # the form of the lexicon's entries

    toks = sentence.tokens
    words = [{fold(t.lemma), fold(t.text)} for t in toks]
    forms = [_PREP.get(fold(t.text), fold(t.text)) for t in toks]
    out: dict[tuple[str, str], Trigger] = {}
    for i, t in enumerate(toks):
        for key in _keys(t, fold):
            for e in [*lex.verb_entries(key), *lex.noun_entries(key)]:
                if e.noun is not None and not any(e.noun in w for w in words[max(i - NOUN_WINDOW, 0):
                                                                              i + NOUN_WINDOW + 1]):
                    continue
                if e.marker is not None and e.marker.split()[0] not in forms[i + 1:]:
                    continue
                out.setdefault((e.type, e.pattern), Trigger(e.type, e.pattern, t.start, t.end, t.text))
    return list(out.values())


# -- analysis ---------------------------------------------------------------------------------
@dataclass
class Miss:
    """One line of the analysis: a miss or an extra, with its cause and evidence."""

    part: str
    cause: str
    article: str
    what: str
    detail: str = ""
    sentence: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass
class Analysis:
    misses: list[Miss] = field(default_factory=list)

    def add(self, *args: Any, **kwargs: Any) -> None:
        self.misses.append(Miss(*args, **kwargs))

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for m in self.misses:
            key = "extra" if m.cause.startswith("extra") else m.cause
            part = out.setdefault(m.part, {})
            part[key] = part.get(key, 0) + 1
        return out


def _label(alts: list[str]) -> str:
    return alts[0] if alts else "*"


def _event_label(e: Record) -> str:
    return f"{e.get('actor')} {e.get('type')} {e.get('recipient')}"


def _gold_event_label(gev: Record) -> str:
    mod = "/".join(modalities(gev))
    return (f"{_label(gev['actor'])} {'/'.join(gev['type'])} {_label(gev.get('recipient', ['*']))}"
            + (f" [{mod}]" if mod else ""))


def _cut(text: str, n: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _window(text: str, at: int = 0, n: int = 200) -> str:
    """At most ``n`` characters of ``text`` showing the character at offset ``at``."""
    if at > n * 0.6:
        return "…" + _cut(text[at - n // 3:], n - 1)
    return _cut(text, n)


def _event_context(e: Record, view: ArticleView) -> str:
    """The sentence of an exported event, cut around its trigger."""
    span, trig = e.get("span"), e.get("trigger_span")
    sentence = e.get("sentence") or (view.text[span[0]:span[1]] if span else "")
    at = trig[0] - span[0] if span and trig and trig[0] >= span[0] else 0
    return _window(sentence, at)


def _find(sentence: str, phrase: str) -> int:
    """Where ``phrase`` (its first words) starts in ``sentence``, ignoring case; 0 if not found."""
    head = " ".join(phrase.split()[:4]).lower()
    at = sentence.lower().find(head) if head else -1
    return max(at, 0)


def _written(alts: list[str], normed_text: str, text: str = "") -> str | None:
    """The first gold alternative written in a text: compared in the scorer's normal form
    when longer than three characters, else as written (an acronym) in ``text``."""
    for a in alts:
        n = norm(a)
        if a == "*" or not n:
            continue
        if len(n) > 3:
            if re.search(r"\b" + re.escape(n) + r"\b", normed_text):
                return a
        elif text and re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", text):
            return a
    return None


class ArticleView:
    """One article of the export with what the analysis asks of it."""

    def __init__(self, key: str, gold: Record, rec: Record, groups: dict[str, list[str]],
                 parse: Parser | None, lex: Any):
        self.key, self.gold, self.rec, self.groups = key, gold, rec, groups
        self.text = rec.get("text") or ""
        self.actors = article_actors(rec)
        self.strings = all_actor_strings(self.actors)
        self._parse, self._lex = parse, lex
        self._sentences: list[Sentence] | None = None
        self._triggers: dict[int, list[Trigger]] = {}

    @property
    def sentences(self) -> list[Sentence]:
        if self._sentences is None:
            self._sentences = self._parse(self.text) if self._parse else []
        return self._sentences

    def triggers(self, s: Sentence) -> list[Trigger]:
        if s.start not in self._triggers:
            self._triggers[s.start] = find_triggers(s, self._lex) if self._lex is not None else []
        return self._triggers[s.start]

    def mentions(self, alts: list[str]) -> list[tuple[int, int]]:
        """Mention spans of the exported actors that match the gold alternatives."""
        if "*" in alts:
            return []
        return [tuple(sp) for aid in self.actors if matches(alts, actor_strings(aid, self.actors))
                for sp in self.actors[aid].get("mentions") or []]

    def naming(self, alts: list[str]) -> list[Sentence]:
        """Sentences that name one of the gold alternatives (``*`` names nothing)."""
        spans = self.mentions(alts)
        named = [a for a in alts if a != "*" and len(norm(a)) > 3]
        return [s for s in self.sentences
                if any(s.holds(sp) for sp in spans) or (named and _written(named, s.normed))]

    def evidence(self, gev: Record) -> list[Sentence]:
        ev = norm(gev.get("evidence"))
        if not ev:
            return []
        head = ev[:40]
        return [s for s in self.sentences if ev in s.normed or head in s.normed]


def _diagnose_event(view: ArticleView, gev: Record, extras: list[Record], found: list[Record],
                    out: Analysis) -> None:
    g = view.groups
    act = expand(gev["actor"], g)
    rec = expand(gev.get("recipient", ["*"]), g)
    types = set(gev["type"])
    what = _gold_event_label(gev)
    evidence = gev.get("evidence") or ""
    unresolved = [(role, alts) for role, alts in (("actor", act), ("recipient", rec))
                  if not matches(alts, view.strings)]
    if unresolved:
        role, alts = unresolved[0]
        both = " (the actor too)" if len(unresolved) > 1 else ""
        written = _written(alts, norm(view.text), view.text)
        hint = f"written in the text as '{written}'" if written else "no gold name of it written in the text"
        label = gev["actor"] if role == "actor" else gev.get("recipient", ["*"])
        out.add("events", "actor not resolved", view.key, what,
                f"{role} {_label(label)} not among the article's actors{both}; {hint}", _cut(evidence))
        return
    ev_sents = view.evidence(gev)
    act_sents, rec_sents = view.naming(act), view.naming(rec)
    place = {s.start: s for s in [*ev_sents, *act_sents, *rec_sents]}
    if not place and "*" in act and "*" in rec:
        place = {s.start: s for s in view.sentences}

    def near(e: Record) -> bool:
        return any(s.holds(e.get("span")) for s in place.values())

    def actor_ok(e: Record) -> bool:
        return matches(act, actor_strings(e.get("actor"), view.actors))

    def rec_ok(e: Record) -> bool:
        return matches(rec, actor_strings(e.get("recipient"), view.actors))

    close = [e for e in extras if near(e)]
    rules = (
        ("wrong recipient", lambda e: e.get("type") in types and actor_ok(e) and not rec_ok(e)),
        ("wrong actor", lambda e: e.get("type") in types and not actor_ok(e)),
        ("wrong type", lambda e: e.get("type") not in types and actor_ok(e) and rec_ok(e)),
    )
    for cause, rule in rules:
        hits = [e for e in close if rule(e)]
        if hits:
            e = hits[0]
            more = f" (+{len(hits) - 1} more)" if len(hits) > 1 else ""
            out.add("events", cause, view.key, what,
                    f"found {_event_label(e)}, trigger '{e.get('trigger', '')}'{more}",
                    _event_context(e, view))
            return
    # triggers at the place: lexicon predicates, and the triggers of exported events
    ranked = sorted(place.values(), key=lambda s: (-(s.start in {x.start for x in ev_sents}) * 4
                                                   - (s in act_sents) * 2 - (s in rec_sents), s.start))
    for s in ranked:
        trig = [t for t in view.triggers(s) if t.type in types]
        used = [e for e in found if e.get("type") in types and s.holds(e.get("span"))]
        if trig or used:
            names = [f"'{t.text}' ({t.type}, {t.pattern})" for t in trig]
            if used:
                names.append("gave " + ", ".join(f"{_event_label(e)} on '{e.get('trigger', '')}'" for e in used))
            first = min([t.start for t in trig] + [(e.get("trigger_span") or [s.start])[0] for e in used])
            out.add("events", "trigger without actor", view.key, what, "; ".join(names),
                    _window(s.text, first - s.start))
            return
    if evidence:
        detail = f"evidence: {evidence}"
    else:
        detail = f"no {'/'.join(sorted(types))} predicate in the {len(place)} sentence(s) naming the actor or recipient"
    shown = _window(ev_sents[0].text, _find(ev_sents[0].text, evidence)) if ev_sents else ""
    out.add("events", "no trigger", view.key, what, _cut(detail, 240), shown)


def _relation(e: Record, view: ArticleView, gold_alts: list[str]) -> str:
    a = matches(gold_alts, actor_strings(e.get("actor"), view.actors)) if gold_alts else False
    r = (matches(gold_alts, actor_strings(e.get("recipient"), view.actors))
         if gold_alts and e.get("recipient") else False)
    return {(True, True): "actor and recipient in the gold", (True, False): "only the actor in the gold",
            (False, True): "only the recipient in the gold", (False, False): "neither in the gold"}[(a, r)]


def _events(view: ArticleView, out: Analysis) -> None:
    g, groups = view.gold, view.groups
    events = view.rec.get("events") or []
    gold_events = g.get("events", [])
    matched = [any(event_matches(gev, e, view.actors, groups) for gev in gold_events) for e in events]
    extras = [e for e, ok in zip(events, matched, strict=True) if not ok]
    found = [e for e, ok in zip(events, matched, strict=True) if ok]
    for gev in gold_events:
        hits = [e for e in events if event_matches(gev, e, view.actors, groups)]
        if gev.get("optional"):
            continue
        if not hits:
            _diagnose_event(view, gev, extras, found, out)
        elif modalities(gev) and not any(e.get("modality") in modalities(gev) for e in hits):
            e = hits[0]
            src = f", according to {e.get('according_to')}" if e.get("according_to") else ""
            out.add("events", "attribution", view.key, _gold_event_label(gev),
                    f"found {_event_label(e)} as {e.get('modality')}{src}",
                    _event_context(e, view))
    gold_alts = [a for gev in gold_events for role in ("actor", "recipient")
                 for a in expand(gev.get(role, ["*"]), groups) if a != "*"]
    for e in extras:
        rel = _relation(e, view, gold_alts)
        src = f", according to {e.get('according_to')}" if e.get("according_to") else ""
        out.add("events", f"extra: {rel}: {e.get('type')}", view.key, _event_label(e),
                f"trigger '{e.get('trigger', '')}', {e.get('modality')}{src}",
                _event_context(e, view))


def _quotes(view: ArticleView, out: Analysis) -> None:
    g, groups = view.gold, view.groups
    quotes = view.rec.get("quotes") or []
    for gq in g.get("quotes", []):
        if gq.get("optional") or any(quote_has(q, gq) and speaker_matches(q, gq, view.actors, groups)
                                     for q in quotes):
            continue
        what = f"{_label(gq['speaker'])}: {_cut(gq['starts'], 70)}"
        found = [q for q in quotes if quote_has(q, gq)]
        if not found:
            out.add("quotes", "no quote found", view.key, what)
            continue
        q = found[0]
        detail = f"found with speaker {q.get('speaker')} ('{q.get('speaker_name')}')"
        alts = expand(gq["speaker"], groups)
        cause = "found, wrong speaker" if matches(alts, view.strings) else "speaker not resolved"
        out.add("quotes", cause, view.key, what, detail)
    for q in quotes:
        if not any(quote_has(q, gq) for gq in g.get("quotes", [])):
            kind = "direct" if q.get("direct") else "indirect"
            out.add("quotes", f"extra: {kind}", view.key,
                    f"{q.get('speaker')} ('{q.get('speaker_name')}'): {_cut(q.get('text', ''), 90)}")


def _sources(view: ArticleView, out: Analysis) -> None:
    golds = view.gold.get("cited_sources", [])
    cited = cited_strings(view.rec, view.actors)
    normed = norm(view.text)
    for alts in golds:
        if not matches(alts, cited):
            written = _written(alts, normed, view.text)
            out.add("sources", "missed", view.key, _label(alts),
                    f"written as '{written}'" if written else "no gold name of it written in the text")
    for c in view.rec.get("cited_sources") or []:
        strings = {norm(c.get("name"))} | actor_strings(c.get("actor"), view.actors)
        if not any(matches(alts, strings) for alts in golds):
            out.add("sources", "found, not gold", view.key, f"'{c.get('name')}' (actor {c.get('actor')})")


def _actors(view: ArticleView, out: Analysis) -> None:
    normed = norm(view.text)
    for alts in view.gold.get("actors", []):
        full = expand(alts, view.groups)
        if not matches(full, view.strings):
            written = _written(full, normed, view.text)
            out.add("actors", "not found", view.key, _label(alts),
                    f"written as '{written}'" if written else "no gold name of it written in the text")


def analyse(gold: Record, records: list[Record], *, parse: Parser | None, lex: Any,
            parts: Iterable[str] = PARTS) -> Analysis:
    """Every miss and extra of ``records`` (an export) against ``gold``, with its cause."""
    parts = set(parts)
    groups = gold.get("groups", {})
    find = Finder(gold, records)
    out = Analysis()
    for key, g in gold["articles"].items():
        rec = find(key)
        if rec is None:
            out.add("articles", "not in export", key, key)
            continue
        view = ArticleView(key, g, rec, groups, parse, lex)
        if "events" in parts and "events" in g:
            _events(view, out)
        if "quotes" in parts and "quotes" in g:
            _quotes(view, out)
        if "sources" in parts and "cited_sources" in g:
            _sources(view, out)
        if "actors" in parts:
            _actors(view, out)
    return out


# -- running and printing ---------------------------------------------------------------------
def _first_error(stderr: str) -> str:
    lines = [ln.removeprefix("veille: ").strip() for ln in stderr.splitlines() if ln.strip()]
    return lines[0] if lines else "no message"


def run_veille(articles: str, db: Path, config: str | None) -> list[Record]:
    """``veille run ARTICLES --db DB`` then ``veille export``: the exported articles."""
    from veille.cli import app

    extra = ["--config", config] if config else []
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = app(["run", articles, "--db", str(db), "--quiet", *extra], standalone_mode=False)
    if code:
        raise SystemExit(f"eval_gold: veille run failed on {articles}: {_first_error(err.getvalue())}")
    export = db.with_name(db.name + ".export.jsonl")
    try:
        with contextlib.redirect_stderr(err):
            code = app(["export", "--db", str(db), "-o", str(export)], standalone_mode=False)
        if code:
            raise SystemExit(f"eval_gold: veille export failed: {_first_error(err.getvalue())}")
        return [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines() if line.strip()]
    finally:
        export.unlink(missing_ok=True)


def _fresh_store(db: Path) -> None:
    """Remove an existing store at ``db`` (refusing any file that is not SQLite)."""
    if not db.exists():
        return
    with db.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head and head != SQLITE_MAGIC:
        raise SystemExit(f"eval_gold: {db} exists and is not a veille store; choose another --db")
    for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        p.unlink(missing_ok=True)


def _order(cause: str) -> tuple[int, str]:
    known = (*EVENT_CAUSES, "attribution", *QUOTE_CAUSES, "missed", "not found", "found, not gold")
    return (known.index(cause) if cause in known else len(known) + cause.startswith("extra"), cause)


def _print(analysis: Analysis, parts: Iterable[str], figures: dict[str, Any]) -> None:
    by_part: dict[str, dict[str, list[Miss]]] = defaultdict(lambda: defaultdict(list))
    for m in analysis.misses:
        by_part[m.part][m.cause].append(m)
    width = min(max((len(m.article) for m in analysis.misses), default=4), 24)
    counts = analysis.counts()
    for part in ("articles", *parts):
        causes = by_part.get(part)
        if not causes:
            continue
        print(f"\n=== {part}: " + ", ".join(f"{c} {n}" for c, n in sorted(counts[part].items(),
                                                                      key=lambda x: _order(x[0]))))
        for cause in sorted(causes, key=_order):
            items = causes[cause]
            print(f"--- {part} / {cause} ({len(items)})")
            seen = Counter((m.article, m.what, m.detail, m.sentence) for m in items)
            for (article, what, detail, sentence), n in seen.items():
                times = f" (x{n})" if n > 1 else ""
                print(f"  {article:{width}} {what}{times}" + (f"  | {detail}" if detail else ""))
                if sentence:
                    print(f"  {'':{width}}   « {sentence} »")
    print()
    for part in parts:
        if part in counts:
            print(f"{part + ' misses':24} " + ", ".join(
                f"{c}: {n}" for c, n in sorted(counts[part].items(), key=lambda x: _order(x[0]))))
    for k, v in figures.items():
        print(f"{k:24} {v}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", help="gold JSON file (the scorer's format)")
    ap.add_argument("articles", help="what 'veille run' reads: a .jsonl file, a folder, a glob")
    ap.add_argument("--db", type=Path, help="run into this store and keep it (replaced if it exists)")
    ap.add_argument("--config", help="a veille settings file (passed to 'veille run'; its lexicon "
                                     "files are used to look for triggers)")
    ap.add_argument("--json", action="store_true", help="print only one JSON line, every miss included")
    ap.add_argument("--only", choices=PARTS, help="the misses of one part only")
    args = ap.parse_args(argv)
    try:
        gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"eval_gold: cannot read the gold file {args.gold}: {e}") from e
    if not isinstance(gold, dict) or not isinstance(gold.get("articles"), dict):
        raise SystemExit(f"eval_gold: {args.gold} is not a gold file (no 'articles' object)")
    parts = (args.only,) if args.only else PARTS

    with tempfile.TemporaryDirectory(prefix="veille-eval-") as tmp:
        db = args.db if args.db is not None else Path(tmp) / "eval.db"
        _fresh_store(db)
        records = run_veille(args.articles, db, args.config)

    from veille.config import Config, load_config
    from veille.nlp import lexicon

    cfg = load_config(args.config) if args.config else Config()
    parse = spacy_parser(cfg.nlp.model) if "events" in parts else None
    lex = lexicon.load(cfg.nlp.lexicon)
    figures = score(gold, records)
    analysis = analyse(gold, records, parse=parse, lex=lex, parts=parts)
    summary = dict(figures, causes=analysis.counts())
    if args.json:
        summary["details"] = [m.as_dict() for m in analysis.misses]
    else:
        _print(analysis, parts, figures)
    print(json.dumps(summary, sort_keys=True, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
