"""Benchmark of the corpus stages (story clustering, optionally dedupe) on synthetic news.

Synthetic articles recombine paragraphs of real French text read at run time from the
shared data folder (the sample articles, the French TimeBank texts, the headline CSVs):
each synthetic story has its own pool of paragraphs and headlines; its articles take
several of them in a new order plus a paragraph from elsewhere, over a few days;
stories are spread over six months. Nothing of that text is stored in the project.

    .venv/bin/python bench/bench_cluster.py --sizes 1000 10000 30000 [--dedupe]
"""
from __future__ import annotations

import argparse
import csv
import platform
import random
import re
import time
from datetime import date, timedelta
from pathlib import Path

from veille.config import Config
from veille.records import AnnotatedArticle, content_hash

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _paragraphs() -> list[str]:
    paras = []
    for f in sorted((SHARED / "seeds").glob("*.txt")):
        paras += [p.strip() for p in f.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 80]
    for f in sorted((SHARED / "data" / "fr-timebank" / "Data").glob("*.tml")):
        raw = f.read_text(encoding="utf-8", errors="replace")
        body = re.sub(r"<[^>]+>", "", raw.split("<TEXT>")[-1] if "<TEXT>" in raw else raw)
        paras += [p.strip() for p in re.split(r"\n\s*\n|\n", body) if len(p.strip()) > 80]
    return paras


def _headlines() -> list[str]:
    out = []
    folder = SHARED / "data" / "fr-headlines-14outlets"
    for name, enc in (("headers2022.csv", "utf-8"), ("full2023_2days.csv", "cp1252")):
        with open(folder / name, encoding=enc, errors="replace", newline="") as fh:
            for row in csv.reader(fh, delimiter=";"):
                if len(row) >= 3 and len(row[2]) > 20 and row[0] != "Date":
                    out.append(row[2].strip())
    return out


def synthetic(n: int, *, seed: int = 7) -> list[AnnotatedArticle]:
    """``n`` articles in about n/4 stories, dates over six months, in shuffled order."""
    rng = random.Random(seed)
    paras, heads = _paragraphs(), _headlines()
    start = date(2024, 1, 1)
    arts: list[AnnotatedArticle] = []
    k = 0
    while len(arts) < n:
        pool = rng.sample(paras, 4)
        titles = rng.sample(heads, 2)
        day0 = start + timedelta(days=rng.randrange(180))
        for _ in range(rng.randint(1, 7)):
            body = rng.sample(pool, rng.randint(2, 4)) + [rng.choice(paras)]
            rng.shuffle(body)
            text = "\n\n".join(body)
            arts.append(AnnotatedArticle(
                id=f"a{len(arts)}", source=f"synthetic/{len(arts)}", text=text,
                title=rng.choice(titles), outlet=f"Outlet {rng.randrange(14)}",
                published=(day0 + timedelta(days=rng.randrange(4))).isoformat(),
                content_hash=content_hash(text)))
            if len(arts) >= n:
                break
        k += 1
    rng.shuffle(arts)
    return arts


def bench(n: int, *, dedupe: bool) -> dict[str, float]:
    import veille.cluster as cluster
    import veille.dedupe as dd

    cfg = Config()
    arts = synthetic(n)
    out: dict[str, float] = {"n": n}
    if dedupe:
        t = time.perf_counter()
        arts = list(dd.run(arts, cfg))
        out["dedupe_ms"] = 1000 * (time.perf_counter() - t) / n
    index = cluster.StoryIndex.from_config(cfg)
    t = time.perf_counter()
    for _ in cluster.run(arts, cfg, state=index):
        pass
    out["cluster_ms"] = 1000 * (time.perf_counter() - t) / n
    out["stories"] = len(index) + index.stats["closed"]  # open and closed
    out["compared_per_article"] = index.stats["compared"] / n
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--dedupe", action="store_true", help="time the dedupe stage too")
    args = ap.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")
    for n in args.sizes:
        r = bench(n, dedupe=args.dedupe)
        extra = f", dedupe {r['dedupe_ms']:.2f} ms/article" if "dedupe_ms" in r else ""
        print(f"{n:>7} articles: cluster {r['cluster_ms']:.2f} ms/article{extra}, "
              f"{r['stories']:.0f} stories, {r['compared_per_article']:.1f} stories scored/article",
              flush=True)


if __name__ == "__main__":
    main()
