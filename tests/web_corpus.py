"""A small hand-written French corpus for the web tests, annotated with exact spans.

The sentences are invented for the tests, in the style of French news. One article is
hostile: its title, text, comments and names carry markup and attribute-breaking quotes.
"""
from __future__ import annotations

from pathlib import Path

from veille.records import Actor, AnnotatedArticle, CitedSource, Comment, Event, Failure, Quote, Story
from veille.store import Writes, open_store

HOSTILE = '<script>alert("x")</script>" onmouseover="alert(1)'


def _span(text: str, piece: str, start: int = 0) -> tuple[int, int]:
    i = text.index(piece, start)
    return (i, i + len(piece))


def _actor(text: str, aid: str, name: str, kind: str, country: str | None, *names: str) -> Actor:
    mentions = []
    for n in names:
        start = 0
        while (i := text.find(n, start)) >= 0:
            mentions.append((i, i + len(n)))
            start = i + len(n)
    return Actor(id=aid, name=name, kind=kind, country=country, aliases=list(dict.fromkeys(names)),
                 mentions=sorted(mentions))


def _event(text: str, sentence: str, trigger: str, **kw) -> Event:
    span = _span(text, sentence)
    t = _span(text, trigger, span[0])
    return Event(span=span, sentence=sentence, trigger=trigger, trigger_span=t, **kw)


def articles() -> list[AnnotatedArticle]:
    out = []
    # story 1: a ban on a telecom maker, two articles (the second a near copy)
    s1 = "Les États-Unis interdisent les équipements de Nordtel sur leur réseau 5G."
    s2 = ("Selon le Courrier du Matin, Washington accuserait Nordtel d'espionnage "
          "au profit de Pékin.")
    s3 = "La Chine dénonce une décision « discriminatoire » et menace de riposter."
    q1 = "Nous défendrons nos entreprises par tous les moyens"
    s4 = f"« {q1} », a déclaré le porte-parole Li Wen."
    text = f'{s1}\n\n{s2}\n\n{s3}\n\n{s4}'
    usa = _actor(text, "USA", "United States", "country", "USA", "États-Unis", "Washington")
    chn = _actor(text, "CHN", "China", "country", "CHN", "Chine", "Pékin")
    nordtel = _actor(text, "Nordtel", "Nordtel", "company", "CHN", "Nordtel")
    liwen = _actor(text, "Li Wen", "Li Wen", "person", "CHN", "Li Wen")
    a1 = AnnotatedArticle(
        id="a1", source="tests/a1.txt", text=text, outlet="Le Quotidien", lang="fr",
        title="Washington bannit Nordtel de la 5G", published="2021-03-02",
        dropped=["Partager sur Facebook", "À lire aussi : nos dossiers"],
        comments=[Comment("Enfin une décision claire."), Comment("Enfin une décision claire.", 0)],
        actors=[usa, chn, nordtel, liwen],
        quotes=[Quote(text=q1, span=_span(text, q1), speaker="Li Wen", speaker_name="Li Wen",
                      speaker_span=_span(text, "Li Wen"))],
        cited_sources=[CitedSource(name="le Courrier du Matin", span=_span(text, "le Courrier du Matin"))],
        events=[
            _event(text, s1, "interdisent", type="SANCTION", cameo="163", actor="USA",
                   recipient="Nordtel", context=["telecom"]),
            _event(text, s2, "accuserait", type="ACCUSE", cameo="112", actor="USA", recipient="Nordtel",
                   modality="hedged", according_to="le Courrier du Matin", context=["cyber"]),
            _event(text, s3, "menace", type="THREATEN", cameo="13", actor="CHN", recipient="USA",
                   modality="planned"),
        ],
        story="st-ban", tokens=60)
    out.append(a1)
    a2 = AnnotatedArticle.from_dict(a1.as_dict() | {
        "id": "a2", "source": "tests/a2.txt", "outlet": "La Gazette", "published": "2021-03-03",
        "title": "Nordtel banni des réseaux américains", "duplicate_of": "a1", "dropped": [], "comments": []})
    out.append(a2)

    # story 2: the mirror (China accuses the USA of espionage)
    t1 = "Pékin accuse Washington d'espionnage informatique à grande échelle."
    t2 = "Le ministère chinois des Affaires étrangères réclame des explications."
    text = f'{t1} {t2}'
    usa = _actor(text, "USA", "United States", "country", "USA", "Washington")
    chn = _actor(text, "CHN", "China", "country", "CHN", "Pékin", "ministère chinois")
    out.append(AnnotatedArticle(
        id="b1", source="tests/b1.txt", text=text, outlet="Le Quotidien", lang="fr",
        title="Pékin accuse Washington d'espionnage", published="2021-03-10",
        actors=[usa, chn],
        events=[_event(text, t1, "accuse", type="ACCUSE", cameo="112", actor="CHN", recipient="USA",
                       context=["cyber"]),
                _event(text, t2, "réclame", type="REQUEST", cameo="10", actor="CHN", recipient="USA")],
        story="st-mirror"))

    # story 3: hostile content everywhere
    h = f"Un texte piégé {HOSTILE} et la suite de l'article sur Evil & Co."
    evil = _actor(h, "Evil<b>", f"Evil {HOSTILE}", "company", None, "Evil & Co")
    out.append(AnnotatedArticle(
        id="h1", source="tests/<h1>.txt", text=h, url="javascript:alert(1)//" + HOSTILE, outlet=f"Outlet {HOSTILE}", lang="fr",
        title=f"Titre {HOSTILE}", published="2021-02-01",
        dropped=[f"menu {HOSTILE}"], comments=[Comment(f"commentaire {HOSTILE}")],
        actors=[evil],
        quotes=[Quote(text=HOSTILE, span=_span(h, HOSTILE), speaker_name=f"Speaker {HOSTILE}")],
        events=[Event(type="ACCUSE", span=(0, len(h)), sentence=h, actor="Evil<b>",
                      trigger="piégé", trigger_span=_span(h, "piégé"))],
        story="st-hostile"))

    # an English article, undated, alone in its story
    e = "The minister said talks with the company would resume next week."
    out.append(AnnotatedArticle(id="en1", source="tests/en1.txt", text=e, lang="en",
                                url="https://example.org/news/talks?a=1&b=2",
                                title="Talks to resume", story="st-en"))
    return out


def failures() -> list[Failure]:
    return [Failure(source="tests/broken.warc.gz", reason="truncated gzip member", stage="ingest",
                    locator="record 3"),
            Failure(source=f"tests/{HOSTILE}.html", reason=f"no body left {HOSTILE}", stage="clean")]


def stories(arts: list[AnnotatedArticle]) -> list[Story]:
    """The stories of the corpus, as the cluster stage would give them."""
    by: dict[str, list[AnnotatedArticle]] = {}
    for a in arts:
        by.setdefault(a.story, []).append(a)
    out = []
    for sid, members in by.items():
        dates = sorted(a.published for a in members if a.published)
        out.append(Story(id=sid, title=members[0].title, article_ids=[a.id for a in members],
                         first_published=dates[0] if dates else None,
                         last_published=dates[-1] if dates else None,
                         actors=list(dict.fromkeys(act.id for a in members for act in a.actors)),
                         outlets=sorted({a.outlet for a in members if a.outlet})))
    return out


def fill(store: Writes, hostile: bool = True) -> Writes:
    """Write the corpus, its stories and failures into ``store``; ``hostile=False`` leaves
    out the story made of hostile markup (kept for the security tests)."""
    arts = [a for a in articles() if hostile or a.story != "st-hostile"]
    store.add([*arts, *failures()])
    store.put_stories(stories(arts))
    return store


def build_store(path: Path, hostile: bool = True) -> Path:
    """The corpus, its stories and failures in a new SQLite store at ``path``."""
    with open_store(path) as store:
        fill(store, hostile=hostile)
    return path


def app_for(kind: str, db: Path, language: str = "en"):
    """The web app over the SQLite store at ``db`` (``kind="sqlite"``) or over the tests'
    in-memory store filled with the same corpus (``kind="memory"``)."""
    from memory_store import MemoryStore

    from veille.serve.app import create_app

    if kind == "sqlite":
        return create_app(db, language=language)
    store = fill(MemoryStore())
    return create_app("memory.db", store_factory=lambda: store, language=language)
