"""Main-text extraction quality on the French subset of trafilatura's benchmark.

Usage: python bench/eval_extraction.py [DATA_DIR] [--show]

DATA_DIR holds gold.json and html/ (default: ../shared/data/trafilatura-fr-eval).
Scoring follows the benchmark's own definition: for each page, a "with" segment found
in the extracted text is a true positive (missing: false negative); a "without"
segment found is a false positive (absent: true negative). Precision, recall and F1
are computed over all segments. veille's clean stage is compared with trafilatura
alone (``extract(html, include_comments=False)``, the body without reader comments).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from veille.clean import run as clean_run
from veille.config import Config
from veille.ingest import read_bytes
from veille.records import Article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "trafilatura-fr-eval"


def score(outputs: dict[str, str], gold: dict, show: bool = False) -> dict[str, float]:
    tp = fn = fp = tn = 0
    for url, item in gold.items():
        text = outputs.get(url, "")
        for seg in item["with"]:
            if seg in text:
                tp += 1
            else:
                fn += 1
                if show:
                    print(f"  missed   {item['file']}: {seg!r}")
        for seg in item["without"]:
            if seg in text:
                fp += 1
                if show:
                    print(f"  kept bad {item['file']}: {seg!r}")
            else:
                tn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fn": fn, "fp": fp, "tn": tn, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(f, 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT))
    ap.add_argument("--show", action="store_true", help="list the segments each system gets wrong")
    args = ap.parse_args()
    data = Path(args.data)
    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    cfg = Config()

    import trafilatura

    base: dict[str, str] = {}
    ours: dict[str, str] = {}
    for url, item in gold.items():
        html = (data / "html" / item["file"]).read_bytes()
        base[url] = trafilatura.extract(html, url=url, include_comments=False) or ""
        docs = read_bytes(html, source=item["file"], url=url, content_type="text/html", cfg=cfg)
        arts = [a for a in clean_run(docs, cfg) if isinstance(a, Article)]
        ours[url] = "\n".join(a.text for a in arts)
    results = {}
    for name, outputs in (("trafilatura", base), ("veille", ours)):
        print(name)
        results[name] = score(outputs, gold, show=args.show)
        print("  " + json.dumps(results[name]))
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
