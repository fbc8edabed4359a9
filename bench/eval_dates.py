#!/usr/bin/env python3
"""Accuracy of veille's date normaliser on the French TimeBank (ISO-TimeML TIMEX3 values).

Usage: python bench/eval_dates.py [--data ../shared/data/fr-timebank/Data] [--misses]

Every TIMEX3 of type DATE or TIME whose gold value starts with a calendar date
("1999", "1999-05", "1999-05-18", "1999-05-18TEV") is normalised against the
document's creation time (DCT). Gold values are cut to the precision the normaliser
gives (day at most: times of day are not produced). Reported:

- accuracy: exact match over all such expressions (None counts as wrong);
- precision: exact match over the expressions the normaliser gave a value for;
- coverage: share of expressions with a value.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.nlp.dates import normalize

DEFAULT = ROOT.parent / "shared" / "data" / "fr-timebank" / "Data"
TIMEX = re.compile(r"<TIMEX3((?:[^>/]|/(?!>))*)>(.*?)</TIMEX3>", re.DOTALL)
ATTR = re.compile(r'(\w+)="([^"]*)"')
DCT = re.compile(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)\"", re.DOTALL)
GOLD_DATE = re.compile(r"^(\d{4})(?:-(\d\d))?(?:-(\d\d))?")


def gold_value(value: str) -> str | None:
    m = GOLD_DATE.match(value)
    if not m or (len(value) > 4 and value[4] not in "-T"):
        return None  # weeks (1999-W20), seasons (1999-SP), decades (199X)…
    return "-".join(p for p in m.groups() if p)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT))
    ap.add_argument("--misses", action="store_true", help="print every wrong answer")
    args = ap.parse_args(argv)
    files = sorted(Path(args.data).glob("*.tml"))
    if not files:
        sys.exit(f"no .tml files in {args.data}: pass --data PATH_TO/fr-timebank/Data")
    total = answered = right = 0
    for path in files:
        doc = path.read_text(encoding="utf-8")
        dct_m = DCT.search(doc)
        dct = dct_m.group(1) if dct_m else None
        for m in TIMEX.finditer(doc):
            attrs = dict(ATTR.findall(m.group(1)))
            if attrs.get("type") not in ("DATE", "TIME"):
                continue
            gold = gold_value(attrs.get("value", ""))
            if gold is None:
                continue
            words = html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
            got = normalize(words, dct)
            total += 1
            if got is not None:
                answered += 1
                # A time of day is scored at day precision.
                ok = got == gold[: len(got)] if len(gold) > 10 else got == gold
                right += ok
            else:
                ok = False
            if args.misses and not ok:
                print(f"{path.name}\t{words!r}\tgold={attrs.get('value')}\tgot={got}")
    acc = right / total if total else 0.0
    prec = right / answered if answered else 0.0
    print(f"expressions {total}  answered {answered}  right {right}")
    print(f"accuracy {acc:.3f}  precision {prec:.3f}  coverage {answered / total if total else 0:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
