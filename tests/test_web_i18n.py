"""The web interface speaks one language at a time, French first: every message has its
French translation, pages are wholly in the language chosen, dates are the locale's."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_corpus import build_store

from veille.serve.app import create_app
from veille.serve.i18n import LANGUAGES, format_day

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "src" / "veille" / "serve"
PO = SERVE / "locale" / "fr" / "LC_MESSAGES" / "veille.po"


def _messages() -> set:
    from babel.messages.extract import extract_from_dir

    found = set()
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                     "lstrip_blocks": "True"}}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(SERVE), method_map=method_map, options_map=options, keywords={"_": None, "gettext": None,
                                                                               "ngettext": (1, 2), "N_": None}):
        found.add(message)
    return found


def test_every_message_has_its_french_translation():
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        catalog = read_po(f, locale="fr")
    messages = _messages()
    assert len(messages) > 150
    missing = []
    for msg in messages:
        entry = catalog.get(msg if isinstance(msg, str) else msg[0])
        string = entry.string if entry else None
        if not entry or entry.fuzzy or not string or (isinstance(string, tuple) and not all(string)):
            missing.append(msg)
    assert not missing, f"messages without a French translation (refresh the catalog, see serve/i18n.py): {missing}"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("i18n") / "test.db")


@pytest.fixture(scope="module")
def fr(db):
    with TestClient(create_app(db)) as c:  # French is the default
        yield c


@pytest.fixture(scope="module")
def en(db):
    with TestClient(create_app(db, language="en")) as c:
        yield c


def _text(html: str) -> str:
    """The page's own words: no tags, no article content (titles, names, sentences)."""
    html = re.sub(r"<(svg|article|script)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


ENGLISH = re.compile(r"\b(Stories|Search|Errors|Actors|articles? per|outlets?|undated|No (?:story|event|quote)|"
                     r"Events|Quotes|Timeline|according to|this week|Sort|citing|reported speech)\b")


def test_french_pages_speak_french_only(fr):
    for path in ("/", "/?sort=growth", "/story/st-ban", "/article/a1", "/actor/USA", "/actors",
                 "/search?q=washington", "/errors", "/nowhere"):
        r = fr.get(path)
        assert '<html lang="fr">' in r.text, path
        words = _text(r.text)
        assert not ENGLISH.search(words), (path, ENGLISH.search(words).group(0), words[:400])
    home = fr.get("/").text
    assert "Histoires" in home and "Tri :" in home and "croissance" in home
    assert "10 mars 2021" in home  # dates the French way
    story = _text(fr.get("/story/st-ban").text)
    assert "2 articles, 2 médias, dont 1 copie, citant tous deux le Courrier du Matin" in story
    assert "au conditionnel" in story and "Chronologie" in story
    assert fr.get("/nowhere").status_code == 404 and "Introuvable" in fr.get("/nowhere").text


def test_english_pages_speak_english(en):
    home = en.get("/").text
    assert '<html lang="en">' in home and ">Stories<" in home and "Mar 10, 2021" in home
    assert "Histoires" not in home and "médias" not in _text(en.get("/story/st-ban").text)


def test_languages_and_dates():
    assert LANGUAGES[0] == "fr"
    assert format_day("2021-03-02", "fr") == "2 mars 2021"
    assert format_day("2021-03", "fr") == "mars 2021"
    assert format_day("2021", "fr") == "2021"
    with pytest.raises(ValueError, match="fr, en"):
        create_app("x.db", language="de")
