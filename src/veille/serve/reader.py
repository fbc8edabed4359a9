"""What the web interface reads, as plain JSON-ready dicts.

:class:`Reader` composes pages from a few primitive reads (``_story_record``,
``_story_articles``, ``article``, ``events`` …) that :class:`StoreReader` answers from the
store. All SQL lives in ``veille.store``; this module only shapes results.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..cluster.views import mirror_links, story_summary

STORY_ARTICLES = 300     # articles of one story shown on its page (the oldest first)
MIRROR_PROBES = 40       # timeline events of a story looked up for mirrored narratives


class Reader:
    """Read access for the pages. Subclasses answer the primitive reads."""

    # ---- primitives (subclasses)
    def stats(self) -> dict[str, Any]:
        raise NotImplementedError

    def stories(self, *, since: str | None = None, until: str | None = None, actor: str | None = None,
                type: str | None = None, lang: str | None = None, limit: int = 20,
                offset: int = 0) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _story_record(self, story_id: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def _story_articles(self, story_id: str, *, limit: int) -> tuple[list[dict[str, Any]], int]:
        """Up to ``limit`` exported articles of a story, oldest first, and the total count."""
        raise NotImplementedError

    def article(self, article_id: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def actor(self, actor_id: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def events(self, *, actor: str | None = None, recipient: str | None = None, type: str | None = None,
               limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        raise NotImplementedError

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Hits with a snippet (matches between \x02 and \x03); QueryError when unreadable."""
        raise NotImplementedError

    def errors(self, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        raise NotImplementedError

    # ---- composed
    @classmethod
    def open(cls, path: str | Path) -> Reader:
        """A reader over the store at ``path``, opened read-only."""
        return StoreReader.open(path)

    def story(self, story_id: str) -> dict[str, Any] | None:
        """A story's summary (see ``cluster.story_summary``), its quotes and mirrors."""
        record = self._story_record(story_id)
        if record is None:
            return None
        articles, total = self._story_articles(story_id, limit=STORY_ARTICLES)
        summary = story_summary(record, articles)
        names = {act.get("id"): act.get("name") for a in articles for act in a.get("actors") or []}
        for e in summary["timeline"]:
            e["according_to_name"] = names.get(e.get("according_to"))
        quotes = []
        for a in articles:
            if a.get("duplicate_of"):
                continue
            names = {act.get("id"): act.get("name") for act in a.get("actors") or []}
            for q in a.get("quotes") or []:
                quotes.append(dict(q, article=a.get("id"), outlet=a.get("outlet"),
                                   published=a.get("published"),
                                   speaker_name=q.get("speaker_name") or names.get(q.get("speaker"))))
        return {"summary": summary, "quotes": quotes, "mirrors": self._mirrors(story_id, summary),
                "truncated": total > len(articles), "total_articles": total}

    def _mirrors(self, story_id: str, summary: dict[str, Any]) -> list[dict[str, Any]]:
        """Mirrored narratives between this story and others, found by indexed event look-ups
        (B→A of the same type for each A→B here), never by reading every story."""
        others: dict[str, list[dict[str, Any]]] = {}
        probes = [e for e in summary["timeline"] if e.get("actor") and e.get("recipient")][:MIRROR_PROBES]
        seen: set[tuple[str, str, str]] = set()
        for e in probes:
            for a, r in _side_pairs(e):
                key = (e["type"], a, r)
                if key in seen:
                    continue
                seen.add(key)
                for other in self.events(actor=r, recipient=a, type=e["type"], limit=10):
                    sid = other.get("story")
                    if sid and sid != story_id:
                        others.setdefault(sid, []).append(other)
        if not others:
            return []
        links = mirror_links({story_id: summary["timeline"], **others})
        out = []
        for m in links:
            if m["a"]["story"] == story_id:
                out.append(dict(m, other=m["b"], here=m["a"]))
            elif m["b"]["story"] == story_id:
                out.append(dict(m, other=m["a"], here=m["b"]))
        return out[:20]


def _side_pairs(e: dict[str, Any]) -> Iterable[tuple[str, str]]:
    actors = [x for x in (e.get("actor"), e.get("actor_country")) if x]
    recipients = [x for x in (e.get("recipient"), e.get("recipient_country")) if x]
    for a in dict.fromkeys(actors):
        for r in dict.fromkeys(recipients):
            if a != r:
                yield a, r


class StoreReader(Reader):
    """The primitives answered by a ``veille.store`` store opened read-only."""

    def __init__(self, store: Any):
        self.store = store

    @classmethod
    def open(cls, path: str | Path) -> StoreReader:
        from ..store import open_store
        return cls(open_store(path, readonly=True))

    def close(self) -> None:
        self.store.close()

    def stats(self) -> dict[str, Any]:
        return self.store.counts()

    def stories(self, *, since: str | None = None, until: str | None = None, actor: str | None = None,
                type: str | None = None, lang: str | None = None, limit: int = 20,
                offset: int = 0) -> list[dict[str, Any]]:
        return self.store.stories(limit, offset, since=since, until=until, actor=actor, type=type, lang=lang)

    def _story_record(self, story_id: str) -> dict[str, Any] | None:
        return self.store.story(story_id)

    def _story_articles(self, story_id: str, *, limit: int) -> tuple[list[dict[str, Any]], int]:
        return self.store.story_articles(story_id, limit), self.store.count(story=story_id)

    def article(self, article_id: str) -> dict[str, Any] | None:
        return self.store.article(article_id)

    def actor(self, actor_id: str) -> dict[str, Any] | None:
        return self.store.actor(actor_id)

    def events(self, *, actor: str | None = None, recipient: str | None = None, type: str | None = None,
               limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        return self.store.events(actor=actor, recipient=recipient, type=type, limit=limit, offset=offset)

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        return self.store.search(query, limit, offset)

    def errors(self, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        return self.store.errors(limit, offset)
