"""The web interface's language: one at a time, French first, through gettext catalogs.

The messages are written in English in the templates and the code (``_("Stories")``); the
French catalog is ``serve/locale/fr/LC_MESSAGES/veille.po``, read with Babel when the app
starts (compiled in memory: no build step, no network). Dates are written the locale's
way with ``babel.dates`` ("2 mars 2021", "mars 2021"). To refresh the catalog after
changing messages::

    pybabel extract -F babel.cfg -o /tmp/veille.pot src/veille/serve
    pybabel update -i /tmp/veille.pot -d src/veille/serve/locale -D veille

``tests/test_web_i18n.py`` fails when a message has no French translation.
"""
from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from .timeline import parse_day

LANGUAGES = ("fr", "en")  # the first is the default
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "veille"


def N_(message: str) -> str:
    """``message`` unchanged, marked for the catalog (it is translated where it is shown)."""
    return message


MODALITY_NAMES = {"asserted": N_("asserted"), "reported": N_("reported"), "hedged": N_("hedged"),
                  "planned": N_("planned"), "negated": N_("negated")}
UNIT_NAMES = {"day": N_("day"), "week": N_("week"), "month": N_("month")}
ORDER_NAMES = {"recent": N_("recent"), "size": N_("size"), "growth": N_("growth")}


def check_language(language: str) -> str:
    """``language`` if the interface speaks it, else a ValueError naming those it speaks."""
    lang = (language or "").strip().lower()
    if lang not in LANGUAGES:
        raise ValueError(f"the interface speaks {', '.join(LANGUAGES)}, not {language!r}")
    return lang


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of ``language`` (English is the messages themselves)."""
    lang = check_language(language)
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not po.is_file():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def format_day(value: Any, language: str) -> str:
    """A date as the locale writes it: ``2021-03-02`` -> "2 mars 2021" (fr) or "Mar 2, 2021"
    (en); ``2021-03`` -> "mars 2021"; a year stays a year; anything else is shown as given."""
    text = str(value or "").strip()
    day = parse_day(text)
    if day is None:
        return text
    locale = Locale.parse(language)
    if len(text) >= 10:
        return format_date(day, format="medium", locale=locale)
    if len(text) == 7:
        return format_skeleton("yMMM", day, locale=locale)
    return text[:4]


__all__ = [
    "LANGUAGES",
    "MODALITY_NAMES",
    "N_",
    "ORDER_NAMES",
    "UNIT_NAMES",
    "check_language",
    "format_day",
    "translations",
]
