"""Benchmark of the events export: ``veille export --format events`` on a store of
synthetic event records, CSV and Parquet, one row a record and one row a mention.

The store is made here (no text from anywhere): stories of a few articles, each article
telling the same few acts (actor, type, recipient drawn from small lists), some articles
copies of others, so that records have several mentions and sources. Every measure runs
in a fresh child process; its peak RSS is the child's own ``ru_maxrss``. Memory should
not grow with the number of events (the export reads and writes a batch at a time).

    .venv/bin/python bench/bench_events_export.py --events 10000 100000
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVENTS_PER_ARTICLE = 5
ARTICLES_PER_STORY = 8


def build(db: str, n_events: int) -> dict:
    """A store holding about ``n_events`` events, with its event records."""
    from veille.records import Actor, AnnotatedArticle, Event, Story
    from veille.runners.local import put_event_records
    from veille.store import open_store

    rng = random.Random(7)
    actors = ["USA", "CHN", "RUS", "UKR", "FRA", "DEU", "IRN", "ISR"]
    kinds = [("ACCUSE", "112"), ("THREATEN", "138"), ("SANCTION", "163"), ("CONSULT", "040"), ("AID", "073")]
    outlets = [f"Outlet {k}" for k in range(40)]
    text = "Phrase de test numéro un. " * 20
    n_articles = max(1, n_events // EVENTS_PER_ARTICLE)
    t0 = time.perf_counter()
    with open_store(db) as store:
        batch, stories = [], []
        for a in range(n_articles):
            story = f"s{a // ARTICLES_PER_STORY}"
            base = (a // ARTICLES_PER_STORY) * ARTICLES_PER_STORY
            acts = random.Random(story)
            events = []
            for k in range(EVENTS_PER_ARTICLE):
                etype, cameo = kinds[acts.randrange(len(kinds))]
                events.append(Event(type=etype, cameo=cameo, span=(k * 26, k * 26 + 25), sentence=text[:25],
                                    actor=actors[acts.randrange(8)], recipient=actors[acts.randrange(8)]))
            day = 1 + (a // ARTICLES_PER_STORY) % 28
            batch.append(AnnotatedArticle(
                id=f"a{a:08d}", source=f"bench/{a}.txt", text=text, outlet=outlets[rng.randrange(40)],
                published=f"2024-03-{day:02d}", story=story,
                duplicate_of=f"a{base:08d}" if a > base and rng.random() < 0.3 else None,
                actors=[Actor(id=x, name=x, kind="country", country=x) for x in actors], events=events))
            if (a + 1) % ARTICLES_PER_STORY == 0 or a == n_articles - 1:
                stories.append(Story(id=story, article_ids=[b.id for b in batch[-ARTICLES_PER_STORY:]]))
            if len(batch) >= 2000:
                store.add(batch, stories=stories)
                batch, stories = [], []
        if batch:
            store.add(batch, stories=stories)
        with store.writer():
            records = put_event_records(store, list(store.story_ids()))
        events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return {"events": events, "records": records, "build_s": round(time.perf_counter() - t0, 1)}


def child(db: str, out: str, per: str) -> None:
    """One export, in this process; prints its figures as JSON."""
    from veille.serve import eventexport
    from veille.store import open_store

    t0 = time.perf_counter()
    with open_store(db, readonly=True) as store:
        if out.endswith(".parquet"):
            n = eventexport.write_parquet(eventexport.rows(store, per), out, per)
        else:
            with open(out, "w", encoding="utf-8", newline="") as fh:
                n = eventexport.write_csv(eventexport.rows(store, per), fh, per)
    print(json.dumps({"rows": n, "seconds": round(time.perf_counter() - t0, 2),
                      "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "file_mb": round(Path(out).stat().st_size / 2 ** 20, 1)}))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    args = ap.parse_args()
    print("| events | records | rows | per | format | seconds | peak RSS MB | file MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.events:
            db = f"{tmp}/e{n}.db"
            made = build(db, n)
            for per in ("record", "mention"):
                for ext in ("csv", "parquet"):
                    out = f"{tmp}/e{n}-{per}.{ext}"
                    proc = subprocess.run([sys.executable, __file__, "--child", db, out, per],
                                          capture_output=True, text=True, check=True)
                    r = json.loads(proc.stdout.strip().splitlines()[-1])
                    print(f"| {made['events']} | {made['records']} | {r['rows']} | {per} | {ext} | {r['seconds']} "
                          f"| {r['rss_mb']} | {r['file_mb']} |", flush=True)


if __name__ == "__main__":
    main()
