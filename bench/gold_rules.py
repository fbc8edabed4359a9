"""The gold scorer's rules: how an export is matched against a gold file, and the figures.

This module follows the rules of the evaluation scorer (``score.py`` beside the gold
files, standard library only) so that ``bench/eval_gold.py`` gives the very same
figures without needing that script at run time:

- strings are compared in a case-, accent-, quote- and space-insensitive form (``norm``);
- a gold alternative ``@NAME`` stands for the gold file's group ``NAME`` (``expand``);
- an exported actor id stands for its id, name, country and aliases (``actor_strings``);
- a gold alternative matches a string when equal to it or, longer than three
  characters, found in it as whole words; ``*`` matches anything (``matches``);
- an event matches a gold event when its type is one of the gold types and its actor and
  recipient match the gold alternatives (a gold event without recipient accepts any);
- an article of the export is found by its file name stem, else by its url.

Figures (``score``): boilerplate kept and dropped, comments, actor and cited-source
recall, title and outlet, event precision, recall, F1 and modality accuracy (optional
gold events count for precision only), quote precision, recall and F1, duplicate pairs
and story clustering (B-cubed).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

Record = dict[str, Any]


def norm(s: Any) -> str:
    """Case-, accent-, quote- and space-insensitive form of a string."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFKD", str(s))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = s.replace("\u00ab", '"').replace("\u00bb", '"').replace("\u201c", '"').replace("\u201d", '"')
    s = s.lower()
    s = re.sub(r"[^\w' ]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def expand(alts: Iterable[str], groups: dict[str, list[str]]) -> list[str]:
    """The alternatives with every ``@GROUP`` replaced by the group's strings."""
    out: list[str] = []
    for a in alts:
        if isinstance(a, str) and a.startswith("@"):
            out.extend(groups[a[1:]])
        else:
            out.append(a)
    return out


def actor_strings(actor_id: str | None, actors: dict[str, Record]) -> set[str]:
    """Every string an exported actor id stands for: id, name, country, aliases."""
    if actor_id is None:
        return set()
    found = {norm(actor_id)}
    a = actors.get(actor_id)
    if a:
        for key in ("id", "name", "country"):
            if a.get(key):
                found.add(norm(a[key]))
        for alias in a.get("aliases") or []:
            found.add(norm(alias))
    return {f for f in found if f}


def matches(alts: Iterable[str], strings: Iterable[str]) -> bool:
    """Whether one gold alternative matches one of ``strings`` (already normalised)."""
    alts = list(alts)
    if "*" in alts:
        return True
    strings = list(strings)
    for alt in alts:
        n = norm(alt)
        if not n:
            continue
        for s in strings:
            if n == s or (len(n) > 3 and re.search(r"\b" + re.escape(n) + r"\b", s)):
                return True
    return False


def event_matches(gold_ev: Record, ev: Record, actors: dict[str, Record], groups: dict[str, list[str]]) -> bool:
    """Whether an exported event matches a gold event (type, actor, recipient)."""
    if ev.get("type") not in gold_ev["type"]:
        return False
    if not matches(expand(gold_ev["actor"], groups), actor_strings(ev.get("actor"), actors)):
        return False
    rec = expand(gold_ev.get("recipient", ["*"]), groups)
    return matches(rec, actor_strings(ev.get("recipient"), actors))


def modalities(gold_ev: Record) -> list[str]:
    """The modalities a gold event accepts (empty when it does not say)."""
    if "modality" not in gold_ev:
        return []
    m = gold_ev["modality"]
    return m if isinstance(m, list) else [m]


def stem_of(rec: Record) -> str:
    """The file name stem of an exported article's source (the gold file's key)."""
    src = rec.get("source") or rec.get("url") or rec.get("id") or ""
    name = re.split(r"[\\/]", src.rstrip("/"))[-1]
    return re.sub(r"\.(txt|html?|json|jsonl)$", "", name)


def article_actors(rec: Record) -> dict[str, Record]:
    """The exported actors of an article, by id."""
    return {a.get("id"): a for a in rec.get("actors") or [] if a.get("id")}


def all_actor_strings(actors: dict[str, Record]) -> set[str]:
    """Every string any exported actor of the article stands for."""
    out: set[str] = set()
    for aid in actors:
        out |= actor_strings(aid, actors)
    return out


class Finder:
    """Finds the exported article of a gold key: by file name stem, else by url."""

    def __init__(self, gold: Record, records: list[Record]):
        self.gold = gold
        self.by_stem = {stem_of(r): r for r in records}
        self.by_url = {r.get("url"): r for r in records if r.get("url")}

    def __call__(self, key: str) -> Record | None:
        return self.by_stem.get(key) or self.by_url.get(self.gold["articles"].get(key, {}).get("url"))


def bcubed(gold_clusters: list[list[str]], predicted: dict[str, Any]) -> tuple[float, float]:
    """B-cubed precision/recall over the articles that both sides know."""
    gold_of = {a: i for i, c in enumerate(gold_clusters) for a in c}
    items = [a for a in gold_of if a in predicted]
    if not items:
        return 0.0, 0.0
    p = r = 0.0
    for a in items:
        same_pred = {b for b in items if predicted[b] == predicted[a]}
        same_gold = {b for b in items if gold_of[b] == gold_of[a]}
        both = len(same_pred & same_gold)
        p += both / len(same_pred)
        r += both / len(same_gold)
    return p / len(items), r / len(items)


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Record, records: list[Record]) -> dict[str, Any]:
    """The scorer's figures for an export (``records``) against ``gold``."""
    groups = gold.get("groups", {})
    find = Finder(gold, records)
    m: dict[str, Any] = {"articles_expected": len(gold["articles"]), "articles_found": 0}
    t = dict.fromkeys(("keep", "keep_ok", "drop", "drop_ok", "com", "com_ok", "act", "act_ok", "src",
                       "src_ok", "gev", "gev_ok", "sev", "sev_ok", "mod", "mod_ok", "gq", "gq_ok", "sq",
                       "sq_ok", "title", "title_ok", "outlet", "outlet_ok"), 0)
    for stem, g in gold["articles"].items():
        rec = find(stem)
        if rec is None:
            continue
        m["articles_found"] += 1
        text = norm(rec.get("text"))
        actors = article_actors(rec)
        for s in g.get("must_keep", []):
            t["keep"] += 1
            t["keep_ok"] += norm(s) in text
        for s in g.get("must_drop", []):
            t["drop"] += 1
            t["drop_ok"] += norm(s) not in text
        comments = " ".join(norm(c.get("text") if isinstance(c, dict) else c) for c in rec.get("comments") or [])
        for s in g.get("comments", []):
            t["com"] += 1
            t["com_ok"] += norm(s) not in text and norm(s) in comments
        strings = all_actor_strings(actors)
        for alts in g.get("actors", []):
            t["act"] += 1
            t["act_ok"] += matches(expand(alts, groups), strings)
        cited = cited_strings(rec, actors)
        for alts in g.get("cited_sources", []):
            t["src"] += 1
            t["src_ok"] += matches(alts, cited)
        if "title" in g:
            t["title"] += 1
            t["title_ok"] += norm(rec.get("title")) == norm(g["title"])
        if "outlet" in g:
            t["outlet"] += 1
            t["outlet_ok"] += matches(g["outlet"], {norm(rec.get("outlet"))})
        events = rec.get("events") or [] if "events" in g else []  # unannotated: not scored
        for gev in g.get("events", []):
            if gev.get("optional"):
                continue
            t["gev"] += 1
            hits = [e for e in events if event_matches(gev, e, actors, groups)]
            if hits:
                t["gev_ok"] += 1
                if "modality" in gev:
                    t["mod"] += 1
                    t["mod_ok"] += any(e.get("modality") in modalities(gev) for e in hits)
        for e in events:
            t["sev"] += 1
            t["sev_ok"] += any(event_matches(gev, e, actors, groups) for gev in g.get("events", []))
        quotes = rec.get("quotes") or [] if "quotes" in g else []  # unannotated: not scored
        for gq in g.get("quotes", []):
            hit = [q for q in quotes if quote_has(q, gq) and speaker_matches(q, gq, actors, groups)]
            if not gq.get("optional"):
                t["gq"] += 1
                t["gq_ok"] += bool(hit)
        for q in quotes:
            t["sq"] += 1
            t["sq_ok"] += any(quote_has(q, gq) for gq in g.get("quotes", []))

    def ratio(a: str, b: str) -> float | None:
        return round(t[a] / t[b], 3) if t[b] else None

    m["boilerplate_kept"] = ratio("keep_ok", "keep")
    m["boilerplate_dropped"] = ratio("drop_ok", "drop")
    m["comments_separated"] = ratio("com_ok", "com")
    m["actor_recall"] = ratio("act_ok", "act")
    m["cited_source_recall"] = ratio("src_ok", "src")
    m["title_exact"] = ratio("title_ok", "title")
    m["outlet_found"] = ratio("outlet_ok", "outlet")
    ep, er = ratio("sev_ok", "sev") or 0.0, ratio("gev_ok", "gev") or 0.0
    m["event_precision"], m["event_recall"], m["event_f1"] = ep, er, round(f1(ep, er), 3)
    m["event_modality_acc"] = ratio("mod_ok", "mod")
    qp, qr = ratio("sq_ok", "sq") or 0.0, ratio("gq_ok", "gq") or 0.0
    m["quote_precision"], m["quote_recall"], m["quote_f1"] = qp, qr, round(f1(qp, qr), 3)
    if gold.get("duplicate_pairs"):
        ok = 0
        for a, b in gold["duplicate_pairs"]:
            ra, rb = find(a), find(b)
            if ra and rb and (ra.get("duplicate_of") == rb.get("id") or rb.get("duplicate_of") == ra.get("id")
                              or (ra.get("duplicate_of") and ra.get("duplicate_of") == rb.get("duplicate_of"))):
                ok += 1
        m["duplicates_found"] = round(ok / len(gold["duplicate_pairs"]), 3)
    if gold.get("stories"):
        predicted = {}
        for key in {k for c in gold["stories"] for k in c}:
            r = find(key)
            if r is not None and r.get("story") is not None:
                predicted[key] = r.get("story")
        bp, br = bcubed(gold["stories"], predicted)
        m["story_bcubed_p"], m["story_bcubed_r"], m["story_bcubed_f1"] = round(bp, 3), round(br, 3), round(f1(bp, br), 3)
    return m


def cited_strings(rec: Record, actors: dict[str, Record]) -> set[str]:
    """The names of an article's cited sources and the strings of their actors."""
    cited: set[str] = set()
    for c in rec.get("cited_sources") or []:
        cited.add(norm(c.get("name")))
        cited |= actor_strings(c.get("actor"), actors)
    return cited


def quote_has(q: Record, gq: Record) -> bool:
    """Whether an exported quote holds the gold quote's opening words."""
    return norm(gq["starts"]) in norm(q.get("text"))


def speaker_matches(q: Record, gq: Record, actors: dict[str, Record], groups: dict[str, list[str]]) -> bool:
    """Whether an exported quote's speaker (actor or name as written) is the gold speaker."""
    return matches(expand(gq["speaker"], groups), actor_strings(q.get("speaker"), actors) | {norm(q.get("speaker_name"))})
