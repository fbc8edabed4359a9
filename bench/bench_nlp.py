"""Throughput of the nlp stage on one core against bare spaCy ``nlp.pipe``.

Usage: python bench/bench_nlp.py [--docs 40] [--json]

Real French news text (the sample articles and the French TimeBank, read at run time
from the shared data beside the project, see bench/corpus.py) is parsed three ways on
one process:

1. bare ``nlp.pipe`` (the ceiling);
2. ``nlp.pipe`` + actor resolution + coreference + cited sources;
3. the whole stage, ``veille.nlp.run`` (adds quotes and events).

It prints articles/s and tokens/s for each, in CPU time of this process (so that other
work on the machine does not skew the comparison). Runs in well under a minute.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import SHARED, source_documents

from veille.config import Config
from veille.nlp import actors, dictionary, run
from veille.nlp.pipeline import load_model
from veille.records import Article


def texts(n: int) -> list[str]:
    docs = source_documents(SHARED)
    if not docs:
        sys.exit(f"no source text found under {SHARED}; the shared data must sit beside the project")
    return [" ".join(d) for d in docs[:n]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    cfg = Config()
    model = cfg.nlp.model
    batch = cfg.nlp.batch_size
    corpus = texts(args.docs)
    t0 = time.perf_counter()
    nlp = load_model(model)
    lex = dictionary.default()
    load_s = time.perf_counter() - t0
    list(nlp.pipe(corpus[:2]))  # warm up

    # Parse and resolution timed apart on the same Docs, best of two rounds, so that the
    # resolution's own cost shows whatever else the machine is doing.
    bare = resolve = float("inf")
    for _ in range(2):
        t0 = time.process_time()
        docs = list(nlp.pipe(corpus, batch_size=batch))
        bare = min(bare, time.process_time() - t0)
        t0 = time.process_time()
        nment = 0
        for doc in docs:
            res = actors.resolve_actors(doc, lex)
            nment += len(res.mentions)
        resolve = min(resolve, time.process_time() - t0)
    ntok = sum(len(d) for d in docs)
    resolved = bare + resolve

    arts = [Article(id=str(i), source=str(i), text=t, lang="fr") for i, t in enumerate(corpus)]
    t0 = time.process_time()
    out = list(run(arts, cfg))
    full = time.process_time() - t0

    rows = {
        "bare nlp.pipe": bare,
        "pipe + actors + coref + sources": resolved,
        "whole stage (nlp.run)": full,
    }
    result = {"model": model, "articles": len(corpus), "tokens": ntok, "mentions": nment,
              "events": sum(len(o.events) for o in out), "load_s": round(load_s, 2),
              "resolution_s": round(resolve, 3),
              "rows": {k: {"seconds": round(v, 2), "articles_per_s": round(len(corpus) / v, 1),
                           "tokens_per_s": round(ntok / v)} for k, v in rows.items()}}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{len(corpus)} articles, {ntok} tokens, model {model} (loaded in {load_s:.1f} s), one process, CPU seconds")
    print(f"{'':34} {'s':>6} {'articles/s':>11} {'tokens/s':>9}")
    for k, v in rows.items():
        print(f"{k:34} {v:6.2f} {len(corpus) / v:11.1f} {ntok / v:9.0f}")
    print(f"resolution alone: {resolve:.2f} s ({ntok / resolve:.0f} tokens/s), "
          f"{resolve / bare:.0%} of the parse; {nment} mentions found")


if __name__ == "__main__":
    main()
