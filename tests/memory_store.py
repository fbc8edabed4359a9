"""An in-memory store for the tests: the :class:`veille.store.Store` protocol in plain Python.

It answers every read and write the way the SQLite store does (same shapes, same order,
same rules for replaced articles, failures and story membership), without SQL. Search
takes words, "phrases", AND / OR / NOT, a final * and parentheses, as the SQLite store's
full-text queries do, accents, case and French elisions folded.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from veille.errors import QueryError, StoreError
from veille.records import AnnotatedArticle, Article, Failure, Story
from veille.store import MARK, AddResult, fts_query
from veille.store.base import STORY_ORDERS
from veille.store.sqlite import QUERY_HELP

_SUMMARY = ("id", "source", "locator", "url", "outlet", "title", "published", "lang", "duplicate_of", "story")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _fold(text))


def _newest_first(value: str | None) -> tuple[bool, str]:
    return (value is None, value or "")


class MemoryStore:
    """Articles, failures, stories and states in dicts; see the module's docstring."""

    def __init__(self) -> None:
        self._articles: dict[str, tuple[int, AnnotatedArticle]] = {}  # id -> (seq, record)
        self._seq = 0
        self._actors: dict[str, dict[str, Any]] = {}
        self._failures: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._stories: dict[str, dict[str, Any]] = {}
        self._members: dict[str, list[str]] = {}
        self._states: dict[str, str] = {}
        self.closed = False

    # -- writes ----------------------------------------------------------------------------
    def add(self, batch: Iterable[AnnotatedArticle | Article | Failure], *, stories: Iterable[Story] = (),
            states: Mapping[str, dict[str, Any]] | None = None) -> AddResult:
        items = list(batch)
        for item in items:  # all or nothing, as one transaction
            if not isinstance(item, (Article, Failure)):
                raise StoreError(f"cannot store a {type(item).__name__}: expected articles or failures")
        result = AddResult()
        stamp = _now()
        for item in items:
            if isinstance(item, Failure):
                self._put_failure(item, stamp)
                result.failures += 1
            else:
                art = item if isinstance(item, AnnotatedArticle) else AnnotatedArticle.from_article(item)
                self._put_article(AnnotatedArticle.from_dict(art.as_dict()), result)
        self.put_stories(stories)
        for name, data in (states or {}).items():
            self.put_state(name, data)
        return result

    @contextmanager
    def writer(self) -> Iterator[None]:
        yield  # one process: nothing to serialise

    def _put_failure(self, f: Failure, stamp: str) -> None:
        key = (f.source, f.locator or "", f.stage or "")
        self._failures.pop(key, None)
        self._failures[key] = {"source": key[0], "locator": key[1], "stage": key[2], "reason": f.reason,
                               "time": stamp}

    def _put_article(self, art: AnnotatedArticle, result: AddResult) -> None:
        if art.id in self._articles:
            result.known += 1
            return
        for _, other in list(self._articles.values()):
            if other.source == art.source and (other.locator or "") == (art.locator or ""):
                self._delete(other.id)
                result.replaced.append(other.id)
                if other.story:
                    result.touched_stories.add(other.story)
        self._seq += 1
        self._articles[art.id] = (self._seq, art)
        for a in art.actors:
            old = self._actors.get(a.id, {})
            self._actors[a.id] = {"id": a.id, "name": a.name or a.id, "kind": a.kind,
                                  "country": a.country or old.get("country"),
                                  "sector": a.sector or old.get("sector")}
        for key in [k for k in self._failures if k[0] == art.source and k[1] in (art.locator or "", "")]:
            del self._failures[key]
        result.added.append(art.id)

    def _delete(self, article_id: str) -> None:
        del self._articles[article_id]
        for members in self._members.values():
            if article_id in members:
                members.remove(article_id)

    def put_failures(self, failures: Iterable[Failure]) -> int:
        n = 0
        stamp = _now()
        for f in failures:
            self._put_failure(f, stamp)
            n += 1
        return n

    def put_stories(self, stories: Iterable[Story]) -> int:
        n = 0
        for s in stories:
            members = list(dict.fromkeys(a for a in s.article_ids if a in self._articles))
            self._members[s.id] = members
            self._stories[s.id] = {"id": s.id, "title": s.title, "first_published": s.first_published,
                                   "last_published": s.last_published, "n_articles": len(members),
                                   "actors": list(s.actors), "outlets": list(s.outlets),
                                   "cited_sources": list(s.cited_sources)}
            n += 1
        return n

    def put_state(self, name: str, data: dict[str, Any]) -> None:
        self._states[name] = json.dumps(data, ensure_ascii=False)

    def state(self, name: str) -> dict[str, Any] | None:
        data = self._states.get(name)
        return json.loads(data) if data is not None else None

    def known(self, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if i in self._articles}

    def has(self, article_id: str) -> bool:
        return article_id in self._articles

    def original_with_hash(self, content_hash: str) -> str | None:
        for rec in self._in_order():
            if rec.content_hash == content_hash:
                return rec.duplicate_of or rec.id
        return None

    def get(self, article_id: str) -> AnnotatedArticle | None:
        found = self._articles.get(article_id)
        return AnnotatedArticle.from_dict(found[1].as_dict()) if found else None

    def close(self) -> None:
        self.closed = True

    # -- reads: articles ------------------------------------------------------------------
    def _in_order(self) -> list[AnnotatedArticle]:
        return [rec for _, rec in sorted(self._articles.values(), key=lambda sr: sr[0])]

    def _seq_of(self, article_id: str) -> int:
        return self._articles[article_id][0]

    def article(self, article_id: str) -> dict[str, Any] | None:
        rec = self.get(article_id)
        if rec is None:
            return None
        return rec.export() | {"locator": rec.locator or "", "paragraphs": [list(p) for p in rec.paragraphs]}

    def _matching(self, *, story: str | None = None, lang: str | None = None, outlet: str | None = None,
                  source: str | None = None, since: str | None = None, until: str | None = None,
                  originals: bool = False) -> list[AnnotatedArticle]:
        out = []
        for rec in self._in_order():
            wanted = (("story", story), ("lang", lang), ("outlet", outlet), ("source", source))
            if any(value is not None and getattr(rec, name) != value for name, value in wanted):
                continue
            if since and not (rec.published is not None and rec.published >= since):
                continue
            if until and not (rec.published is not None and rec.published[:len(until)] <= until):
                continue
            if originals and rec.duplicate_of is not None:
                continue
            out.append(rec)
        return out

    def articles(self, limit: int | None = 50, offset: int = 0, *, story: str | None = None,
                 lang: str | None = None, outlet: str | None = None, source: str | None = None,
                 since: str | None = None, until: str | None = None,
                 originals: bool = False) -> list[dict[str, Any]]:
        recs = self._matching(story=story, lang=lang, outlet=outlet, source=source, since=since, until=until,
                              originals=originals)
        recs.sort(key=lambda r: self._seq_of(r.id), reverse=True)
        recs.sort(key=lambda r: r.published or "", reverse=True)
        recs.sort(key=lambda r: r.published is None)
        rows = [{k: (r.locator or "" if k == "locator" else getattr(r, k)) for k in _SUMMARY} for r in recs]
        return _page(rows, limit, offset)

    def count(self, **filters: Any) -> int:
        return len(self._matching(**filters))

    def export(self, *, story: str | None = None, batch: int = 500) -> Iterator[dict[str, Any]]:
        for rec in self._in_order():
            if story is None or rec.story == story:
                yield rec.export()

    def records(self, *, batch: int = 500) -> Iterator[AnnotatedArticle]:
        for rec in self._in_order():
            yield AnnotatedArticle.from_dict(rec.as_dict())

    # -- reads: search ----------------------------------------------------------------------
    def _search(self, query: str) -> list[tuple[AnnotatedArticle, set[str]]]:
        expr = _parse(fts_query(query), query)
        hits = []
        for rec in self._in_order():
            tokens = _tokens(rec.title or "") + ["\x00"] + _tokens(rec.text)
            matched: set[str] = set()
            if _evaluate(expr, tokens, matched):
                hits.append((rec, matched))
        return hits

    def _faceted(self, rec: AnnotatedArticle, *, outlet: str | None = None, since: str | None = None,
                 until: str | None = None, actor: str | None = None, type: str | None = None) -> bool:
        return ((not outlet or rec.outlet == outlet)
                and (not since or (rec.published is not None and rec.published >= since))
                and (not until or (rec.published is not None and rec.published[:len(until)] <= until))
                and (not actor or any(a.id == actor for a in rec.actors))
                and (not type or any(e.type == type for e in rec.events)))

    def search(self, query: str, limit: int = 20, offset: int = 0, *,
               mark: tuple[str, str] = MARK, words: int = 16, **facets: str | None) -> list[dict[str, Any]]:
        out = []
        for rec, matched in self._search(query):
            if not self._faceted(rec, **facets):
                continue
            out.append({"id": rec.id, "title": rec.title, "outlet": rec.outlet, "published": rec.published,
                        "source": rec.source, "story": rec.story, "duplicate_of": rec.duplicate_of,
                        "snippet": _snippet(rec.text, matched, mark, words), "rank": -float(len(matched))})
        return _page(out, limit, offset)

    def search_count(self, query: str, **facets: str | None) -> int:
        return sum(1 for rec, _ in self._search(query) if self._faceted(rec, **facets))

    # -- reads: failures, events, actors, quotes ----------------------------------------------
    def errors(self, limit: int | None = None, offset: int = 0, *,
               source: str | None = None) -> list[dict[str, Any]]:
        rows = [dict(f) for f in self._failures.values() if source is None or f["source"] == source]
        rows.sort(key=lambda f: (f["time"], f["source"], f["locator"], f["stage"]))
        return _page(rows, limit, offset)

    def _actor_field(self, actor_id: str | None, name: str) -> Any:
        return self._actors.get(actor_id or "", {}).get(name)

    def events(self, *, actor: str | None = None, recipient: str | None = None, type: str | None = None,
               modality: str | None = None, article: str | None = None, story: str | None = None,
               since: str | None = None, until: str | None = None, limit: int | None = 50,
               offset: int = 0) -> list[dict[str, Any]]:
        rows = []
        for rec in self._in_order():
            for idx, e in enumerate(rec.events):
                d = {"article": rec.id, "idx": idx, "type": e.type, "cameo": e.cameo, "actor": e.actor,
                     "recipient": e.recipient, "modality": e.modality, "according_to": e.according_to,
                     "date": e.date or rec.published, "sentence": e.sentence, "context": list(e.context),
                     "trigger": e.trigger, "span": [e.span[0], e.span[1]] if e.span else [None, None],
                     "story": rec.story, "outlet": rec.outlet, "published": rec.published,
                     "article_title": rec.title, "actor_name": self._actor_field(e.actor, "name"),
                     "actor_country": self._actor_field(e.actor, "country"),
                     "recipient_name": self._actor_field(e.recipient, "name"),
                     "recipient_country": self._actor_field(e.recipient, "country")}
                wanted = (("actor", actor), ("recipient", recipient), ("type", type), ("modality", modality),
                          ("article", article), ("story", story))
                if any(v is not None and d[k] != v for k, v in wanted):
                    continue
                if since and not (d["date"] is not None and d["date"] >= since):
                    continue
                if until and not (d["date"] is not None and d["date"][:len(until)] <= until):
                    continue
                rows.append(d)
        rows.sort(key=lambda d: (d["article"], d["idx"]))
        rows.sort(key=lambda d: d["date"] or "", reverse=True)
        rows.sort(key=lambda d: d["date"] is None)
        return _page(rows, limit, offset)

    def _mentions(self) -> Iterator[tuple[AnnotatedArticle, Any]]:
        for rec in self._in_order():
            for a in rec.actors:
                yield rec, a

    def actors(self, limit: int | None = 100, offset: int = 0, *,
               kind: str | None = None) -> list[dict[str, Any]]:
        articles: Counter[str] = Counter()
        mentions: Counter[str] = Counter()
        for _, a in self._mentions():
            articles[a.id] += 1
            mentions[a.id] += len(a.mentions)
        rows = [dict(self._actors[aid], articles=n, mentions=mentions[aid]) for aid, n in articles.items()
                if not kind or self._actors[aid]["kind"] == kind]
        rows.sort(key=lambda r: (-r["articles"], -r["mentions"], r["id"]))
        return _page(rows, limit, offset)

    def actor(self, actor_id: str) -> dict[str, Any] | None:
        if actor_id not in self._actors:
            return None
        found = [a for _, a in self._mentions() if a.id == actor_id]
        aliases = sorted({alias for a in found[:500] for alias in a.aliases})
        return dict(self._actors[actor_id], aliases=aliases, articles=len(found),
                    mentions=sum(len(a.mentions) for a in found))

    def actor_names(self) -> list[tuple[str, str]]:
        pairs = {(aid, a.get("name") or aid) for aid, a in self._actors.items()}
        pairs |= {(a.id, alias) for _, a in self._mentions() for alias in a.aliases}
        return sorted(pairs)

    def quotes(self, *, speaker: str | None = None, article: str | None = None, story: str | None = None,
               limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        rows = []
        for rec in self._in_order():
            for idx, q in enumerate(rec.quotes):
                d = {"article": rec.id, "idx": idx, "speaker": q.speaker, "speaker_name": q.speaker_name,
                     "text": q.text, "direct": bool(q.direct),
                     "span": [q.span[0], q.span[1]] if q.span else [None, None],
                     "story": rec.story, "outlet": rec.outlet, "published": rec.published}
                if any(v is not None and d[k] != v
                       for k, v in (("speaker", speaker), ("article", article), ("story", story))):
                    continue
                rows.append(d)
        rows.sort(key=lambda d: (self._seq_of(d["article"]), d["idx"]))
        rows.sort(key=lambda d: d["published"] or "", reverse=True)
        rows.sort(key=lambda d: d["published"] is None)
        return _page(rows, limit, offset)

    # -- reads: stories ------------------------------------------------------------------------
    def _with_names(self, story: dict[str, Any]) -> dict[str, Any]:
        names = [{"id": a, "name": self._actor_field(a, "name") or a} for a in story["actors"]]
        return dict(story, actors=names)

    def _member_records(self, story_id: str) -> list[AnnotatedArticle]:
        recs = [self._articles[a][1] for a in self._members.get(story_id, [])]
        recs.sort(key=lambda r: self._seq_of(r.id))
        recs.sort(key=lambda r: r.published or "")
        recs.sort(key=lambda r: r.published is None)
        return recs

    def stories(self, limit: int | None = None, offset: int = 0, *, since: str | None = None,
                until: str | None = None, actor: str | None = None, type: str | None = None,
                lang: str | None = None, order: str = "recent",
                growth: tuple[str, str] | None = None) -> list[dict[str, Any]]:
        if order not in STORY_ORDERS:
            raise ValueError(f"order must be one of {', '.join(STORY_ORDERS)}, got {order!r}")
        if order == "growth" and not growth:
            raise ValueError("order='growth' needs growth=(start, middle) dates")
        rows = []
        for s in self._stories.values():
            members = self._member_records(s["id"])
            if since and not (s["last_published"] is not None and s["last_published"] >= since):
                continue
            first = s["first_published"]
            if until and not (first is not None and first[:len(until)] <= until):
                continue
            if actor and not any(a.id == actor for r in members for a in r.actors):
                continue
            if type and not any(e.type == type for r in members for e in r.events):
                continue
            if lang and not any(r.lang == lang for r in members):
                continue
            rows.append(self._with_names(s))
        rows.sort(key=lambda s: (-s["n_articles"], s["id"]))
        rows.sort(key=lambda s: s["last_published"] or "", reverse=True)
        rows.sort(key=lambda s: s["last_published"] is None)
        if order == "size":
            rows.sort(key=lambda s: -s["n_articles"])
        elif order == "growth":
            start, middle = growth  # type: ignore[misc]

            def score(story: dict[str, Any]) -> int:
                days = [r.published for r in self._member_records(story["id"])
                        if r.published is not None and r.published >= start]
                return sum(1 if d >= middle else -1 for d in days)

            rows.sort(key=lambda s: -score(s))
        return _page(rows, limit, offset)

    def volume(self, *, story: str | None = None, since: str | None = None) -> dict[str, int]:
        recs = self._member_records(story) if story is not None else self._in_order()
        days = Counter(r.published[:10] for r in recs
                       if r.published is not None and (not since or r.published >= since))
        return dict(sorted(days.items()))

    def story(self, story_id: str) -> dict[str, Any] | None:
        s = self._stories.get(story_id)
        if s is None:
            return None
        return self._with_names(s) | {"article_ids": [r.id for r in self._member_records(story_id)]}

    def story_articles(self, story_id: str, limit: int | None = None,
                       offset: int = 0) -> list[dict[str, Any]]:
        return _page([r.export() for r in self._member_records(story_id)], limit, offset)

    # -- reads: overview -------------------------------------------------------------------------
    def counts(self) -> dict[str, Any]:
        recs = self._in_order()
        dates = [r.published for r in recs if r.published is not None]
        return {"articles": len(recs), "stories": len(self._stories),
                "events": sum(len(r.events) for r in recs), "quotes": sum(len(r.quotes) for r in recs),
                "actors": len(self._actors), "errors": len(self._failures),
                "latest": max(dates, default=None), "earliest": min(dates, default=None)}

    def stats(self) -> dict[str, Any]:
        recs = self._in_order()

        def ranked(values: Iterable[str]) -> dict[str, int]:
            return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))

        return self.counts() | {
            "duplicates": sum(1 for r in recs if r.duplicate_of is not None),
            "actor_mentions": sum(len(a.mentions) for r in recs for a in r.actors),
            "comments": sum(len(r.comments) for r in recs),
            "dropped": sum(len(r.dropped) for r in recs),
            "languages": ranked(r.lang or "unknown" for r in recs),
            "outlets": dict(list(ranked(r.outlet or "unknown" for r in recs).items())[:20]),
            "event_types": ranked(e.type for r in recs for e in r.events),
            "failures_by_stage": dict(sorted(Counter(f["stage"] for f in self._failures.values()).items())),
        }

    def dropped(self, limit: int = 20) -> list[dict[str, Any]]:
        counts = Counter(seg for r in self._in_order() for seg in set(r.dropped))
        rows = [{"segment": seg, "articles": n} for seg, n in counts.items()]
        rows.sort(key=lambda r: (-r["articles"], r["segment"]))
        return rows[:limit]


def _page(rows: list[Any], limit: int | None, offset: int) -> list[Any]:
    return rows[int(offset):] if limit is None else rows[int(offset):int(offset) + int(limit)]


# -- search: the full-text query of veille.store.fts_query, evaluated over words ---------------------
_TOKEN = re.compile(r'"[^"]*"\*?|[()]|AND|OR|NOT')


def _parse(expr: str, query: str) -> Any:
    """``expr`` as a tree: ("phrase", words, prefix) | (op, left, right); QueryError if unreadable."""
    tokens = _TOKEN.findall(expr)
    pos = 0

    def fail() -> QueryError:
        return QueryError(f"cannot read the search {query!r} (syntax error); {QUERY_HELP}")

    def term() -> Any:
        nonlocal pos
        if pos >= len(tokens):
            raise fail()
        tok = tokens[pos]
        pos += 1
        if tok == "(":
            inner = sequence()
            if pos >= len(tokens) or tokens[pos] != ")":
                raise fail()
            pos += 1
            return inner
        if tok.startswith('"'):
            return ("phrase", _tokens(tok.rstrip("*").strip('"')), tok.endswith("*"))
        raise fail()

    def sequence() -> Any:
        nonlocal pos
        left = term()
        while pos < len(tokens) and tokens[pos] != ")":
            op = tokens[pos] if tokens[pos] in ("AND", "OR", "NOT") else "AND"
            pos += op == tokens[pos]
            left = (op, left, term())
        return left

    tree = sequence()
    if pos != len(tokens):
        raise fail()
    return tree


def _evaluate(node: Any, tokens: list[str], matched: set[str]) -> bool:
    if node[0] == "phrase":
        words, prefix = node[1], node[2]
        n = len(words)
        for i in range(len(tokens) - n + 1):
            window = tokens[i:i + n]
            last = window[-1].startswith(words[-1]) if prefix else window[-1] == words[-1]
            if window[:-1] == words[:-1] and last:
                matched.update(window)
                return True
        return False
    op, left, right = node
    if op == "AND":
        return _evaluate(left, tokens, matched) & _evaluate(right, tokens, matched)
    if op == "OR":
        return _evaluate(left, tokens, matched) | _evaluate(right, tokens, matched)
    return _evaluate(left, tokens, matched) and not _evaluate(right, tokens, set())


def _snippet(text: str, matched: set[str], mark: tuple[str, str], words: int) -> str:
    pieces = re.findall(r"\S+", text)
    hit = next((i for i, p in enumerate(pieces) if set(_tokens(p)) & matched), 0)
    start = max(0, hit - words // 2)
    shown = []
    for p in pieces[start:start + words]:
        shown.append(re.sub(r"[^\W_]+", lambda m: f"{mark[0]}{m.group(0)}{mark[1]}"
                            if _fold(m.group(0)) in matched else m.group(0), p))
    return ("…" if start else "") + " ".join(shown) + ("…" if start + words < len(pieces) else "")
