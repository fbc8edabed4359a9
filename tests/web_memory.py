"""An in-memory reader for the web tests: the same answers as the store's, from records."""
from __future__ import annotations

import re
import unicodedata

from veille.records import AnnotatedArticle, Failure
from veille.serve.reader import BadQuery, Reader


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


class MemoryReader(Reader):
    def __init__(self, articles: list[AnnotatedArticle], failures: list[Failure] = ()):
        self.arts = {a.id: a.export() | {"paragraphs": a.paragraphs} for a in articles}
        self.failures = [f.as_dict() for f in failures]

    def stats(self):
        dates = [a["published"] for a in self.arts.values() if a.get("published")]
        return {"articles": len(self.arts), "stories": len({a["story"] for a in self.arts.values()}),
                "events": sum(len(a["events"]) for a in self.arts.values()),
                "errors": len(self.failures), "latest": max(dates) if dates else None}

    def stories(self, *, since=None, until=None, actor=None, type=None, lang=None, limit=20, offset=0):
        by: dict[str, list[dict]] = {}
        for a in self.arts.values():
            by.setdefault(a["story"], []).append(a)
        rows = []
        for sid, arts in by.items():
            dates = sorted(a["published"] for a in arts if a.get("published"))
            if since and (not dates or dates[-1] < since):
                continue
            if until and (not dates or dates[0] > until):
                continue
            if actor and not any(act["id"] == actor for a in arts for act in a["actors"]):
                continue
            if type and not any(e["type"] == type for a in arts for e in a["events"]):
                continue
            if lang and not any(a.get("lang") == lang for a in arts):
                continue
            actors = {act["id"]: act["name"] for a in arts for act in a["actors"]}
            rows.append({"id": sid, "title": arts[0]["title"], "first_published": dates[0] if dates else None,
                         "last_published": dates[-1] if dates else None, "n_articles": len(arts),
                         "outlets": sorted({a["outlet"] for a in arts if a.get("outlet")}),
                         "actors": [{"id": k, "name": v} for k, v in actors.items()]})
        rows.sort(key=lambda r: r["last_published"] or "", reverse=True)
        return rows[offset:offset + limit]

    def _story_record(self, story_id):
        return {"id": story_id} if any(a["story"] == story_id for a in self.arts.values()) else None

    def _story_articles(self, story_id, *, limit):
        arts = [a for a in self.arts.values() if a["story"] == story_id]
        arts.sort(key=lambda a: a.get("published") or "")
        return arts[:limit], len(arts)

    def article(self, article_id):
        a = self.arts.get(article_id)
        return dict(a) if a else None

    def actor(self, actor_id):
        found = [act for a in self.arts.values() for act in a["actors"] if act["id"] == actor_id]
        if not found:
            return None
        aliases = sorted({al for act in found for al in act.get("aliases") or []})
        return dict(found[0], aliases=aliases, articles=len(found), mentions=None)

    def events(self, *, actor=None, recipient=None, type=None, limit=50, offset=0):
        rows = []
        for a in self.arts.values():
            names = {act["id"]: act for act in a["actors"]}
            for e in a["events"]:
                if actor and e.get("actor") != actor or recipient and e.get("recipient") != recipient:
                    continue
                if type and e["type"] != type:
                    continue
                rows.append(dict(e, article=a["id"], story=a["story"], outlet=a.get("outlet"),
                                 published=a.get("published"), date=e.get("date") or a.get("published"),
                                 actor_name=names.get(e.get("actor"), {}).get("name"),
                                 recipient_name=names.get(e.get("recipient"), {}).get("name"),
                                 actor_country=names.get(e.get("actor"), {}).get("country"),
                                 recipient_country=names.get(e.get("recipient"), {}).get("country")))
        rows.sort(key=lambda e: e["date"] or "", reverse=True)
        return rows[offset:offset + limit]

    def search(self, query, *, limit=20, offset=0):
        if query.count('"') % 2 or re.search(r"(^|\s)(AND|OR|NOT)\s*$", query):
            raise BadQuery(f"cannot read the search {query!r}: close the quotes")
        terms = [_fold(t) for t in re.findall(r"\w+", query)]
        hits = []
        for a in self.arts.values():
            text = _fold(a["text"])
            if all(t in text for t in terms):
                i = text.find(terms[0]) if terms else 0
                snip = a["text"][max(0, i - 30): i] + "\x02" + a["text"][i:i + len(terms[0])] + "\x03" \
                    + a["text"][i + len(terms[0]): i + 60]
                hits.append({"id": a["id"], "title": a["title"], "outlet": a.get("outlet"),
                             "published": a.get("published"), "snippet": snip})
        return hits[offset:offset + limit]

    def errors(self, *, limit=50, offset=0):
        return self.failures[offset:offset + limit]

    def top_actors(self, *, limit=100):
        seen = {}
        for a in self.arts.values():
            for act in a["actors"]:
                seen.setdefault(act["id"], {"id": act["id"], "name": act["name"]})
        return list(seen.values())[:limit]
