"""French date expressions: find them in text and normalise them against the article date;
and the publication date of a page whose metadata gives none (:func:`infer_published`).

``normalize("mardi", "2020-08-05")`` gives ``"2020-08-04"``; the result carries the
precision the text gives: ``"2019"`` (year), ``"2019-07"`` (month) or ``"2019-07-15"``
(day). A relative expression ("hier", "mardi", "le mois dernier") needs the article's
publication date and gives None without one. Vague expressions ("il y a quelques
semaines", "récemment") give None: a wrong date is worse than no date.

Explicit dates are read by a regular expression for the common French forms, with
dateparser (French, ``PREFER_DATES_FROM=past``, ``RELATIVE_BASE`` = the article date)
as the fall-back for the forms the expression does not cover (numeric dates,
"il y a trois semaines").
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8,
    "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11,
    "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4,
            "samedi": 5, "dimanche": 6}
NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
           "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
           "quinze": 15, "vingt": 20, "trente": 30}

_MONTH = r"(?P<month>janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)"
_DAY = r"(?P<day>1er|premier|[0-3]?\d)"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_YEAR2 = r"(?P<year>(?:1[89]|20)\d\d|['’]?\d\d)"
_WDAY = r"(?P<wday>lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_PART = r"(?:(?:d[ée]but|fin|mi|milieu|courant)(?:\s+d[eu']\s*|-|\s+)(?:l['’]ann[ée]e\s+|ann[ée]e\s+|mois\s+d[e']\s*)?)"
_NUM = r"(?P<n>\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente)"

# Order matters: the longest, most precise forms first.
_PATTERNS: list[tuple[str, str]] = [
    ("dmy", rf"(?:{_WDAY}\s+)?{_DAY}\s+{_MONTH}\s+{_YEAR2}"),
    ("dm", rf"(?:{_WDAY}\s+)?{_DAY}\s+{_MONTH}\b(?:\s+(?P<dir>prochaine?s?|derni[eè]re?s?))?"),
    ("numeric", r"(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)\d\d)"),
    ("my", rf"{_PART}?{_MONTH}\s+(?:de\s+l['’]ann[ée]e\s+)?{_YEAR2}"),
    ("y_part", rf"{_PART}{_YEAR}"),
    ("y", rf"(?:(?:en|depuis|dès|de|d['’]ici|avant|après|jusqu['’]en|vers|l['’]ann[ée]e)\s+){_YEAR}"),
    ("ago", rf"il\s+y\s+a\s+{_NUM}\s+(?P<unit>jours?|semaines?|mois|ans?|années?)"),
    ("rel_day", r"(?P<rel>avant-hier|après-demain|aujourd['’]hui|hier|demain)"),
    ("rel_unit", r"(?P<unit>la\s+semaine|le\s+mois|l['’]ann[ée]e|l['’]an)\s+(?P<which>derni[èe]re?|pass[ée]e?|prochaine?|suivante?|précédente?)"),
    ("this_unit", r"(?P<unit>cette\s+semaine|ce\s+mois(?:-ci)?|cette\s+ann[ée]e)"),
    ("this_month", rf"(?:(?:en|au\s+mois\s+d['e]\s*|ce|cet|courant|d[ée]but|fin|mi-?)\s*)?{_MONTH}(?:\s+(?P<dir>prochaine?s?|derni[eè]re?s?))?"),
    ("today", r"(?:ce|cette)\s+(?:soir|matin|nuit|après-midi|soirée|matinée)|ce\s+jour"),
    ("wday", rf"{_WDAY}(?:\s+(?P<tod>matin|soir|midi|après-midi|dernier|prochain))?"),
]
_COMPILED = [(name, re.compile(rf"\b{pat}\b", re.IGNORECASE)) for name, pat in _PATTERNS]


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression found in text: its offsets, words and normalised value."""

    start: int
    end: int
    text: str
    kind: str
    value: str | None


def _base(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        try:
            return dt.date(int(published[:4]), 1, 1) if len(published) >= 4 else None
        except ValueError:
            return None


def _year(s: str) -> int:
    s = s.lstrip("'’")
    if len(s) == 2:  # "octobre 98", "le 10 novembre 93"
        return 1900 + int(s) if int(s) > 40 else 2000 + int(s)
    return int(s)


def _num(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else NUMBERS.get(s, 0)


def _month(s: str) -> int:
    return MONTHS.get(s.lower().replace("û", "u"), MONTHS.get(s.lower(), 0))


def _day(s: str) -> int:
    s = s.lower()
    return 1 if s in ("1er", "premier") else int(s)


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return dt.date(y, m, d).isoformat()
    except ValueError:
        return None
    if m is not None:
        return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
    return f"{y:04d}"


def _shift_months(day: dt.date, months: int) -> tuple[int, int]:
    total = day.year * 12 + day.month - 1 + months
    return total // 12, total % 12 + 1


def _year_for_month(month: int, base: dt.date | None, prefer: str) -> int | None:
    if base is None:
        return None
    if prefer == "future":
        return base.year if month >= base.month else base.year + 1
    return base.year if month <= base.month else base.year - 1


def _value(kind: str, g: dict[str, str | None], base: dt.date | None, prefer: str) -> str | None:
    if kind == "dmy":
        return _iso(_year(g["year"]), _month(g["month"]), _day(g["day"]))
    if kind == "numeric":
        return _iso(int(g["y"]), int(g["m"]), int(g["d"]))
    if kind == "dm":
        if base is None:
            return None
        month, day = _month(g["month"]), _day(g["day"])
        direction = (g.get("dir") or "").lower()
        # Without a year: the nearest such date to the article, unless the text says
        # "prochain" or "dernier".
        options = []
        for year in (base.year - 1, base.year, base.year + 1):
            try:
                options.append(dt.date(year, month, day))
            except ValueError:
                continue
        if direction.startswith("proch"):
            options = [o for o in options if o >= base]
        elif direction.startswith("dern"):
            options = [o for o in options if o <= base]
        if not options:
            return None
        return min(options, key=lambda o: abs((o - base).days)).isoformat()
    if kind == "my":
        return _iso(_year(g["year"]), _month(g["month"]))
    if kind in ("y", "y_part"):
        return _iso(int(g["year"]))
    if base is None:
        return None
    if kind == "this_month":
        # The nearest such month to the article, or the one "prochain"/"dernier" says.
        month, direction = _month(g["month"]), (g.get("dir") or "").lower()
        here = base.year * 12 + base.month - 1
        options = [(y * 12 + month - 1) for y in (base.year - 1, base.year, base.year + 1)]
        if direction.startswith("proch"):
            options = [o for o in options if o > here]
        elif direction.startswith("dern"):
            options = [o for o in options if o < here]
        best = min(options, key=lambda o: (abs(o - here), -o if prefer == "future" else o))
        return _iso(best // 12, best % 12 + 1)
    if kind == "today":
        return base.isoformat()
    if kind == "rel_day":
        rel = (g["rel"] or "").lower().replace("’", "'")
        delta = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "demain": 1, "après-demain": 2}[rel]
        return (base + dt.timedelta(days=delta)).isoformat()
    if kind == "wday":
        target = WEEKDAYS[g["wday"].lower()]
        tod = (g.get("tod") or "").lower()
        if tod == "prochain" or (prefer == "future" and tod != "dernier"):
            delta = (target - base.weekday()) % 7
        else:
            delta = -((base.weekday() - target) % 7)
            if tod == "dernier" and delta == 0:
                delta = -7
        return (base + dt.timedelta(days=delta)).isoformat()
    if kind == "ago":
        n, unit = _num(g["n"]), (g["unit"] or "").lower()
        if n <= 0:
            return None
        if unit.startswith("jour"):
            return (base - dt.timedelta(days=n)).isoformat()
        if unit.startswith("semaine"):
            y, m = _shift_months(base - dt.timedelta(weeks=n), 0)
            return _iso(y, m)
        if unit == "mois":
            return _iso(*_shift_months(base, -n))
        return _iso(base.year - n)
    if kind in ("rel_unit", "this_unit"):
        unit = (g["unit"] or "").lower()
        which = (g.get("which") or "").lower()
        step = 0 if kind == "this_unit" else (1 if which.startswith(("proch", "suiv")) else -1)
        if "semaine" in unit:
            return _iso(*_shift_months(base + dt.timedelta(weeks=step), 0))
        if "mois" in unit:
            return _iso(*_shift_months(base, step))
        return _iso(base.year + step)
    return None


def find(text: str, published: str | None = None, *, prefer: str = "past") -> list[DateExpr]:
    """Every date expression in ``text``, normalised against ``published`` (ISO date)."""
    return list(_find(text, published, prefer))


@lru_cache(maxsize=4096)  # events of one sentence read its dates again
def _find(text: str, published: str | None, prefer: str) -> tuple[DateExpr, ...]:
    base = _base(published)
    taken: list[tuple[int, int]] = []
    found = []
    for kind, rx in _COMPILED:  # most precise forms first; later ones fill the gaps
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            value = _value(kind, m.groupdict(), base, prefer)
            found.append(DateExpr(m.start(), m.end(), m.group(0), kind, value))
    found.sort(key=lambda h: h.start)
    return tuple(found)


def normalize(text: str, published: str | None = None, *, prefer: str = "past") -> str | None:
    """The date ``text`` names, as "YYYY", "YYYY-MM" or "YYYY-MM-DD"; None when unknown.

    ``published`` (ISO date) anchors relative expressions; ``prefer`` is "past" (news
    default: "mardi" is the last Tuesday) or "future" (for a clause in the future tense).
    """
    text = text.strip()
    hits = find(text, published, prefer=prefer)
    if hits:
        best = max(hits, key=lambda h: h.end - h.start)
        if best.value is not None:
            return best.value
    return _dateparser(text, published, prefer)


_FALLBACK = re.compile(r"\b(?:1[89]|20)\d\d\b|il\s+y\s+a\s|\d+[/.-]\d+", re.IGNORECASE)
_VAGUE = re.compile(r"quelques|plusieurs|r[ée]cemment|bient[ôo]t|longtemps|maintenant|actuellement", re.IGNORECASE)


def _dateparser(text: str, published: str | None, prefer: str) -> str | None:
    base = _base(published)
    if _VAGUE.search(text) or not _FALLBACK.search(text):
        return None
    if base is None and not re.search(r"\b(?:1[89]|20)\d\d\b", text):
        return None
    try:
        from dateparser.date import DateDataParser
    except ImportError:  # pragma: no cover - dateparser is a declared dependency
        return None
    settings = {"PREFER_DATES_FROM": prefer if prefer in ("past", "future") else "past",
                "REQUIRE_PARTS": ["year"] if base is None else []}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    data = DateDataParser(languages=["fr"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return f"{d.year:04d}"
    if period in ("month", "week"):
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def nearest(text: str, start: int, end: int, anchor: int, published: str | None = None,
            *, prefer: str = "past") -> DateExpr | None:
    """The normalisable date expression of ``text[start:end]`` closest to offset ``anchor``."""
    hits = [h for h in find(text[start:end], published, prefer=prefer) if h.value]
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(start + (h.start + h.end) // 2 - anchor))
    return DateExpr(start + best.start, start + best.end, best.text, best.kind, best.value)


# -- publication dates the metadata did not give -----------------------------------------
_DATE_WORDS = rf"(?:le\s+)?(?:{_WDAY}\s+)?(?:{_DAY}\s+{_MONTH}\s+{_YEAR}|(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)\d\d))"
DATELINE = re.compile(
    rf"^\W{{0,3}}(?P<place>[A-ZÀ-Ý][\w'’ .-]{{1,40}}?)\s*(?:\([^()\n]{{1,40}}\)\s*)?,\s*{_DATE_WORDS}"
    r"\s*(?:\([^()\n]{1,40}\)\s*)?[-–—:]", re.IGNORECASE)
"""A wire dateline opening the text: "PARIS, 14 juillet 2020 (AFP) -", "Bamako, le 3/08/2023 –"."""
DATELINE_OTHER = re.compile(
    r"^\W{0,3}[A-ZÀ-Ý][\w'’ .-]{1,40}?\s*(?:\([^()\n]{1,40}\)\s*)?,\s*(?P<date>[^()\n–—:]{6,40}?\b(?:19|20)\d\d)"
    r"\s*(?:\([^()\n]{1,40}\)\s*)?[-–—:]")
"""A dateline whose date the French forms do not cover ("WASHINGTON, July 14, 2020 (Reuters) -"):
read by dateparser."""
URL_DATE = re.compile(r"(?<![\d])(?P<y>(?:19|20)\d\d)(?P<sep>[/-]?)(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?![\d])")
"""A date in a URL's path: /2020/07/14/, /2020-07-14-, /20200714-."""
URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>[01]\d)/")
"""A month in a URL's path, where no full date is: /2020/07/."""
INFERRED = ("dateline", "date_line", "url", "text")
"""How an inferred publication date was found, most trusted first (``Article.published_inferred``)."""


def infer_published(text: str, *, url: str | None = None, date_line: str | None = None
                    ) -> tuple[str, str] | None:
    """``(date, how)`` for a page whose metadata gives no publication date, or None.

    Tried in order (``how``, one of :data:`INFERRED`): the wire dateline opening the text
    ("PARIS, 14 juillet 2020 (AFP) -", or in another form dateparser reads: "WASHINGTON, July
    14, 2020 (Reuters) -"); ``date_line``, a line of the page the cleaner
    recognised as giving the date ("Publié le 14/07/2020", parsed with dateparser); a date
    in the path of ``url`` ("/2020/07/14/", which may give a month only); else the latest
    full date (day, month and four-digit year) the text mentions.
    """
    m = DATELINE.match(text[:300])
    value = _full_date(m.groupdict()) if m else None
    if value is None and (m := DATELINE_OTHER.match(text[:300])) and re.search(r"\b[0-3]?\d\b", m["date"]):
        value = parse_date_line(m["date"])  # a day besides the year: "élu en 2017 :" is no dateline
    if value:
        return value, "dateline"
    if date_line:
        value = parse_date_line(date_line)
        if value:
            return value, "date_line"
    if url:
        path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.IGNORECASE)
        found = [_iso(int(u["y"]), int(u["m"]), int(u["d"])) for u in URL_DATE.finditer(path)]
        found += [_iso(int(u["y"]), int(u["m"])) for u in URL_MONTH.finditer(path)]
        value = next((v for v in found if v), None)
        if value:
            return value, "url"
    full = [h.value for h in find(text) if h.value and len(h.value) == 10 and re.search(r"\d{4}", h.text)]
    if full:
        return max(full), "text"
    return None


def _full_date(g: dict[str, str | None]) -> str | None:
    if g.get("y"):
        return _iso(int(g["y"]), int(g["m"]), int(g["d"]))
    if g.get("year") and g.get("month") and g.get("day"):
        return _iso(_year(g["year"]), _month(g["month"]), _day(g["day"]))
    return None


@lru_cache(maxsize=1024)
def parse_date_line(text: str) -> str | None:
    """The date of a line that gives a page's date ("Publié le 5 mars 2024 à 10h12",
    "posted on March 5, 2024"), read by dateparser (French or English, day first)."""
    import dateparser

    try:
        when = dateparser.parse(text, languages=["fr", "en"],
                                settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY"})
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd input
        return None
    return when.date().isoformat() if when else None


__all__ = ["DATELINE", "INFERRED", "URL_DATE", "URL_MONTH", "DateExpr", "find", "infer_published", "nearest", "normalize",
           "parse_date_line"]
