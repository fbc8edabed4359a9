"""Story views: pure functions over records or plain dicts (no SQL, no store).

``story_summary(story, articles)`` gives what a reader wants of one story: its most
central headline, the articles in time order, the top actors, a dated timeline of
events with modality, and the *source chain* (outlets and the cited sources the story
rests on). ``mirror_links(stories_events)`` finds mirrored narratives: the same kind
of charge with the roles swapped across stories (A accuses B in one, B accuses A in
another), also when one side is rolled up to its country (Huawei counts as China).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from ..text import fold_rsquo
from .text import Normaliser

_norm: Normaliser | None = None
_LEADING = ("the ", "le ", "la ", "les ", "l'")


def _normaliser() -> Normaliser:
    global _norm
    if _norm is None:
        _norm = Normaliser()
    return _norm


def _plain(obj: Any) -> dict[str, Any]:
    if obj is None:
        return {}
    if isinstance(obj, Mapping):
        return dict(obj)
    if hasattr(obj, "as_dict"):
        return obj.as_dict()
    raise TypeError(f"expected a record or a dict, got {type(obj).__name__}")


CENTRAL_TITLES = 40  # titles compared for a story's title (the first ones given)


def central_title(titles: Iterable[str | None]) -> str | None:
    """The title most similar to the others (Jaccard over story terms) among the first
    :data:`CENTRAL_TITLES`; ties: first."""
    items = [t for t in titles if t and t.strip()][:CENTRAL_TITLES]
    if len(items) <= 2:
        return items[0] if items else None
    norm = _normaliser()
    sets = [set(norm(t)) for t in items]
    best, best_score = items[0], -1.0
    for i, s in enumerate(sets):
        score = sum(len(s & o) / len(s | o) for j, o in enumerate(sets) if j != i and (s | o))
        if score > best_score:
            best, best_score = items[i], score
    return best


def _source_key(name: str, actor: str | None) -> str:
    if actor:
        return actor
    key = fold_rsquo(name).strip()
    for lead in _LEADING:
        key = key.removeprefix(lead)
    return " ".join(key.split())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


_RUN_ON = re.compile(r"(?<=\w\w)\.(?=[A-ZÀ-Ý][a-zà-ÿ])")


def source_name(name: str | None, actor: str | None = None) -> str | None:
    """A cited source's name as shown, or None when it names nothing a reader could look up:
    text run on past a missing space is cut ("agence X.Le Président" -> "agence X"), and a
    single lower-case word that no actor stands behind ("article") is left out."""
    text = " ".join((name or "").split())
    text = _RUN_ON.split(text, 1)[0].strip(" ,;:.")
    if not text:
        return None
    if not actor and " " not in text and not any(c.isupper() or c.isdigit() for c in text):
        return None
    return text


def source_chain(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Outlets and cited sources of a story's articles, with a one-line phrase."""
    outlets = sorted({a["outlet"] for a in articles if a.get("outlet")})
    unknown = sum(1 for a in articles if not a.get("outlet"))
    copies = sum(1 for a in articles if a.get("duplicate_of"))
    names: dict[str, Counter] = defaultdict(Counter)
    citing: Counter = Counter()
    for a in articles:
        keys = set()
        for c in a.get("cited_sources") or []:
            shown = source_name(c.get("name"), c.get("actor"))
            key = _source_key(shown, c.get("actor")) if shown else None
            if key:
                names[key][shown] += 1
                keys.add(key)
        citing.update(keys)
    sources = [{"key": k, "name": names[k].most_common(1)[0][0], "articles": n}
               for k, n in sorted(citing.items(), key=lambda kv: (-kv[1], kv[0]))]
    n = len(articles)
    parts = [_plural(n, "article")]
    if outlets and unknown:
        parts.append(f"{_plural(len(outlets), 'outlet')} named ({unknown} without one)")
    elif outlets:
        parts.append(_plural(len(outlets), "outlet"))
    elif n:
        parts.append("outlet unknown")
    if copies:
        parts.append(f"{copies} of them {'a copy' if copies == 1 else 'copies'}")
    phrase = ", ".join(parts)
    if sources:
        top = sources[0]
        if len(sources) == 1 and top["articles"] == n:
            phrase += f", {'citing' if n == 1 else 'both citing' if n == 2 else 'all citing'} {top['name']}"
        elif top["articles"] * 2 > n:
            phrase += f", {top['articles']} of them citing {top['name']}"
            if len(sources) > 1:
                phrase += f" (also cited: {', '.join(s['name'] for s in sources[1:4])})"
        else:
            phrase += f", citing {', '.join(s['name'] for s in sources[:4])}"
    else:
        phrase += ", no cited source found"
    return {"outlets": outlets, "sources": sources, "copies": copies, "phrase": phrase}


# "Kinshasa, 07 avril 2024 (ACP).- ", "PARIS (AFP) - ": a dateline before the first sentence
# or "VILNIUS, Lituanie — ": a place in capitals before a dash
_DATELINE = re.compile(r"^(?:[^\n().]{1,60}\((?:[A-Z][\w&/ .-]{0,30})\)\s*\.?\s*[-–—:]+"
                       r"|[A-ZÀ-Ý][A-ZÀ-Ý' -]{2,30}(?:,[^\n,.—–]{1,30})?\s+[—–-])\s*")
_SENTENCE_END = re.compile(r"(?<=[^A-Z.][.!?])\s+(?=[«\"A-ZÀ-Ý])")


def lead_title(text: str | None, size: int = 120) -> str | None:
    """What to show for an untitled article or story: its first sentence without the dateline
    ("PARIS (AFP) - "), cut at a word within ``size`` characters (never a file path)."""
    first = next((line.strip() for line in (text or "").split("\n") if line.strip()), "")
    first = _DATELINE.sub("", first)
    first = _SENTENCE_END.split(first, 1)[0].strip()
    first = first[:1].upper() + first[1:]
    if len(first) <= size:
        return first or None
    cut = first[:size].rsplit(" ", 1)[0] if " " in first[:size] else first[:size]
    return cut.rstrip(" ,;:") + "…"


def story_summary(story: Any, articles: Iterable[Any], *, top_actors: int = 8) -> dict[str, Any]:
    """One story as a JSON-ready dict: title, articles, actors, timeline, source chain.

    ``story`` is a ``records.Story`` or its dict; ``articles`` are its
    ``AnnotatedArticle`` records or their exported dicts (any order).
    """
    st = _plain(story)
    arts = sorted((_plain(a) for a in articles),
                  key=lambda a: (a.get("published") or "\uffff", a.get("id") or ""))
    originals = [a for a in arts if not a.get("duplicate_of")] or arts
    actor_info: dict[str, dict[str, Any]] = {}
    actor_articles: Counter = Counter()
    for a in arts:
        for act in a.get("actors") or []:
            aid = act.get("id")
            if not aid:
                continue
            actor_info.setdefault(aid, {"id": aid, "name": act.get("name") or aid,
                                        "kind": act.get("kind"), "country": act.get("country")})
            actor_articles[aid] += 1
    actors = [dict(actor_info[aid], articles=n)
              for aid, n in sorted(actor_articles.items(), key=lambda kv: (-kv[1], kv[0]))[:top_actors]]
    timeline = []
    seen = set()
    for a in originals:
        for ev in a.get("events") or []:
            when = ev.get("date") or a.get("published")
            key = (ev.get("actor"), ev.get("type"), ev.get("recipient"), when, ev.get("modality"))
            if key in seen:
                continue
            seen.add(key)
            timeline.append({
                "date": when, "type": ev.get("type"), "cameo": ev.get("cameo"),
                "actor": ev.get("actor"), "recipient": ev.get("recipient"),
                "actor_name": actor_info.get(ev.get("actor") or "", {}).get("name"),
                "recipient_name": actor_info.get(ev.get("recipient") or "", {}).get("name"),
                "actor_country": actor_info.get(ev.get("actor") or "", {}).get("country"),
                "recipient_country": actor_info.get(ev.get("recipient") or "", {}).get("country"),
                "context": list(ev.get("context") or []), "modality": ev.get("modality"),
                "according_to": ev.get("according_to"), "sentence": ev.get("sentence"),
                "span": ev.get("span"), "article": a.get("id"), "outlet": a.get("outlet"),
            })
    timeline.sort(key=lambda e: (e["date"] or "\uffff", e["article"] or ""))
    title = central_title(a.get("title") for a in arts) or st.get("title")
    if not title and arts:
        title = lead_title(arts[0].get("text"))
    dates = [a["published"] for a in arts if a.get("published")]
    return {
        "id": st.get("id"),
        "title": title,
        "first_published": min(dates) if dates else st.get("first_published"),
        "last_published": max(dates) if dates else st.get("last_published"),
        "articles": [{"id": a.get("id"), "title": a.get("title"), "outlet": a.get("outlet"),
                      "headline": a.get("title") or lead_title(a.get("text")),
                      "published": a.get("published"), "source": a.get("source"),
                      "url": a.get("url"), "duplicate_of": a.get("duplicate_of")} for a in arts],
        "actors": actors,
        "timeline": timeline,
        "source_chain": source_chain(arts),
    }


def _sides(actor: str | None, country: str | None) -> list[tuple[str, str]]:
    out = []
    if actor:
        out.append((actor, "actor"))
    if country and country != actor:
        out.append((country, "country"))
    return out


def mirror_links(stories_events: Mapping[str, Iterable[Any]], *,
                 countries: Mapping[str, str] | None = None,
                 same_story: bool = False) -> list[dict[str, Any]]:
    """Events whose roles swap for the same kind of charge, across stories.

    ``stories_events`` maps a story id to its events: dicts (e.g. the ``timeline`` of
    :func:`story_summary`, which carries ``actor_country``/``recipient_country``) or
    ``records.Event``. ``countries`` maps actor ids to country codes for events that
    do not carry them. Two events mirror when their type is the same, their contexts
    meet (or both have none), and A→B in one is B→A in the other, where a side is the
    actor itself or its country ("country" level). Returns one link per pair of stories,
    type and pair of sides, best level first.
    """
    countries = countries or {}
    index: dict[tuple[str, str, str], list[tuple[str, dict[str, Any], str]]] = defaultdict(list)
    flat: list[tuple[str, dict[str, Any]]] = []
    for sid, events in stories_events.items():
        for ev in events:
            e = _plain(ev)
            if not e.get("type") or not e.get("actor") or not e.get("recipient"):
                continue
            e.setdefault("actor_country", countries.get(e["actor"]))
            e.setdefault("recipient_country", countries.get(e["recipient"]))
            if e["actor_country"] is None:
                e["actor_country"] = countries.get(e["actor"])
            if e["recipient_country"] is None:
                e["recipient_country"] = countries.get(e["recipient"])
            flat.append((sid, e))
            for a, la in _sides(e["actor"], e["actor_country"]):
                for r, lr in _sides(e["recipient"], e["recipient_country"]):
                    if a != r:
                        level = "actor" if la == lr == "actor" else "country"
                        index[(e["type"], a, r)].append((sid, e, level))
    links: dict[tuple, dict[str, Any]] = {}
    for sid, e in flat:
        for a, la in _sides(e["actor"], e["actor_country"]):
            for r, lr in _sides(e["recipient"], e["recipient_country"]):
                if a == r:
                    continue
                for sid2, e2, level2 in index.get((e["type"], r, a), []):
                    if sid2 == sid and not same_story:
                        continue
                    c1, c2 = set(e.get("context") or []), set(e2.get("context") or [])
                    if (c1 or c2) and not (c1 & c2):
                        continue
                    level = "actor" if la == lr == "actor" and level2 == "actor" else "country"
                    pair = tuple(sorted([(sid, a, r), (sid2, r, a)]))
                    key = (e["type"], pair)
                    rank = 0 if level == "actor" else 1
                    old = links.get(key)
                    if old is not None and old["_rank"] <= rank:
                        continue
                    first, second = ((sid, e), (sid2, e2)) if pair[0][0] == sid and pair[0][1] == a \
                        else ((sid2, e2), (sid, e))
                    links[key] = {
                        "type": e["type"], "level": level, "_rank": rank,
                        "context": sorted(c1 & c2),
                        "sides": [pair[0][1], pair[0][2]],
                        "a": _side_view(*first), "b": _side_view(*second),
                    }
    out = sorted(links.values(), key=lambda m: (m["_rank"], m["type"], m["a"]["story"], m["b"]["story"]))
    for m in out:
        m.pop("_rank")
    return out


def _side_view(sid: str, e: dict[str, Any]) -> dict[str, Any]:
    return {"story": sid, "actor": e.get("actor"), "recipient": e.get("recipient"),
            "date": e.get("date"), "modality": e.get("modality"),
            "sentence": e.get("sentence"), "article": e.get("article"), "span": e.get("span")}
