"""A French benchmark corpus made by recombining real French news text.

Usage: python bench/corpus.py N OUT_DIR [--shared DIR] [--seed 1]

The text comes from the shared data beside the project, read at run time and never
copied into the repository: the five sample articles (``seeds/``), the 108 articles of
the French TimeBank (``data/fr-timebank/Data/*.tml``, markup removed) and the headlines
of 14–15 French outlets (``data/fr-headlines-14outlets/*.csv``, with their outlet).
Each generated article takes a real headline with its outlet as title and outlet, and a
body of 3–8 paragraphs, each 2–5 consecutive sentences of one real article. Articles
are dated like a news feed: ``per_day`` (100) a day from 1 March 2022 on, in order.
4 % of the articles are exact copies of an earlier one (republished by another outlet)
and 4 % near-copies (one paragraph replaced), so the duplicate detector has work to do.
The output is one JSONL file (fields ``title``, ``text``, ``published``, ``outlet``) per
outlet and month.
The same N and seed always give the same corpus.
"""
from __future__ import annotations

import argparse
import csv
import html
import io
import json
import random
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
_SENT = re.compile(r"(?<=[.!?»])\s+(?=[«A-ZÀÂÉÈÊÎÔÛÇ0-9])")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(" ".join(text.split())) if len(s.strip()) > 20]


def source_documents(shared: Path) -> list[list[str]]:
    """Real articles as lists of sentences."""
    docs: list[list[str]] = []
    for tml in sorted((shared / "data" / "fr-timebank" / "Data").glob("*.tml")):
        raw = tml.read_text(encoding="utf-8")
        m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.DOTALL)
        if m:
            docs.append(_sentences(html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))))
    for seed in sorted((shared / "seeds").glob("*.txt")):
        for block in re.split(r"\n\s*\n", seed.read_text(encoding="utf-8")):
            lines = [ln for ln in block.splitlines() if len(ln) > 120]  # body paragraphs only
            if lines:
                docs.append(_sentences(" ".join(lines)))
    return [d for d in docs if len(d) >= 2]


def headlines(shared: Path) -> list[tuple[str, str, str]]:
    """(date ISO, outlet, headline) from the headline CSVs."""
    base = shared / "data" / "fr-headlines-14outlets"
    out: list[tuple[str, str, str]] = []
    with open(base / "headers2022.csv", encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if len(row) == 3 and re.match(r"\d\d/\d\d/\d{4}", row[0]):
                d, mth, y = row[0].split("/")
                out.append((f"{y}-{mth}-{d}", row[1].strip(), row[2].strip()))
    for name in ("full2023_2days.csv", "headers2023.csv"):
        text = (base / name).read_bytes().decode("cp1252", errors="replace")
        for row in csv.reader(io.StringIO(text), delimiter=";"):
            if len(row) == 3 and re.match(r"\d{4}-\d\d-\d\d", row[0]):
                out.append((row[0], row[1].strip(), row[2].strip()))
    return [h for h in out if h[2]]


def generate(n: int, out_dir: Path, *, shared: Path = SHARED, seed: int = 1, per_day: int = 100) -> dict:
    """Write ``n`` articles under ``out_dir``; returns a description of what was written."""
    rng = random.Random(seed)
    first_day = date(2022, 3, 1)
    docs = source_documents(shared)
    heads = headlines(shared)
    outlets = sorted({h[1] for h in heads})
    articles: list[dict] = []
    copies = near = 0
    for i in range(n):
        _, outlet, title = heads[i % len(heads)] if i < len(heads) else rng.choice(heads)
        day = (first_day + timedelta(days=i // per_day)).isoformat()
        roll = rng.random()
        if articles and roll < 0.04:
            src = dict(rng.choice(articles[-200:]))
            src["outlet"] = rng.choice([o for o in outlets if o != src["outlet"]])
            src["published"] = day
            articles.append(src)
            copies += 1
            continue
        if articles and roll < 0.08:
            src = dict(rng.choice(articles[-200:]))
            paras = src["text"].split("\n\n")
            doc = rng.choice(docs)
            paras[rng.randrange(len(paras))] = " ".join(doc[:3])
            src.update(text="\n\n".join(paras), outlet=rng.choice(outlets), published=day)
            articles.append(src)
            near += 1
            continue
        paras = []
        for _ in range(rng.randint(3, 8)):
            doc = rng.choice(docs)
            k = rng.randint(2, 5)
            start = rng.randrange(max(1, len(doc) - k + 1))
            paras.append(" ".join(doc[start:start + k]))
        articles.append({"title": title, "text": "\n\n".join(paras), "published": day, "outlet": outlet})
    out_dir.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[dict]] = defaultdict(list)
    for art in articles:
        slug = re.sub(r"[^a-z0-9]+", "-", art["outlet"].lower()).strip("-") or "outlet"
        groups[f"{art['published'][:7]}_{slug}"].append(art)
    for old in out_dir.glob("*.jsonl"):
        old.unlink()
    for name, arts in sorted(groups.items()):
        with open(out_dir / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for art in arts:
                fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    chars = sum(len(a["text"]) for a in articles)
    return {"articles": n, "files": len(groups), "exact_copies": copies, "near_copies": near,
            "source_documents": len(docs), "headlines": len(heads), "chars": chars}


def long_article(chars: int, path: Path, *, shared: Path = SHARED, seed: int = 3) -> dict:
    """Write one plain-text article of about ``chars`` characters to ``path`` (a headline,
    then paragraphs of 2–5 consecutive sentences of one real article, as in
    :func:`generate`): the input of the long-article memory measure."""
    rng = random.Random(seed)
    docs = source_documents(shared)
    _, _, title = rng.choice(headlines(shared))
    paras: list[str] = [title]
    size = len(title)
    while size < chars:
        doc = rng.choice(docs)
        k = rng.randint(2, 5)
        start = rng.randrange(max(1, len(doc) - k + 1))
        paras.append(" ".join(doc[start:start + k]))
        size += len(paras[-1]) + 2
    text = "\n\n".join(paras) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return {"chars": len(text), "bytes": len(text.encode("utf-8")), "paragraphs": len(paras)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(json.dumps(generate(args.n, args.out, shared=args.shared, seed=args.seed)))


if __name__ == "__main__":
    main()
