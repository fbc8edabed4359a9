"""`veille watch` rounds against a local web site on 127.0.0.1 serving feeds and French pages.

The fast tests run the round logic with a small stand-in pipeline (no spaCy); the tests
marked slow run the real pipeline into the real store. Nothing reaches beyond loopback.
"""
from __future__ import annotations

import html
import json
import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field

import pytest
from test_watch_fetch import Site, huge, redirect, send, slow, static, with_etag

from veille.records import Actor, AnnotatedArticle, Event, Failure, RawDocument
from veille.store.watchstate import WatchState
from veille.watch import Watcher
from veille.watch.fetch import FetchPolicy
from veille.watch.rules import rules_from_data

# -- the site's articles (written for these tests) --------------------------------------------
ARTICLES = {
    "/articles/cyber-hopitaux.html": (
        "Berlin accuse Moscou d’attaques informatiques contre des hôpitaux",
        [("Le gouvernement allemand a accusé jeudi la Russie d’avoir orchestré une vague d’attaques "
         "informatiques contre plusieurs hôpitaux de Bavière."),
         ("Selon le ministère de l’Intérieur, les pirates auraient paralysé les urgences de trois "
         "établissements pendant deux jours."),
         ("« Nous ne laisserons pas ces actes impunis », a affirmé la ministre Anna Keller lors d’une "
         "conférence de presse à Munich."),
         "La Russie a rejeté ces accusations, dénonçant une « campagne de désinformation »."]),
    "/articles/lithium.html": (
        "Le Chili et l’Argentine signent un accord sur le lithium",
        [("Le Chili et l’Argentine ont signé mardi à Santiago un accord de coopération pour exploiter "
         "ensemble les gisements de lithium situés à leur frontière."),
         "Les deux pays prévoient de créer une entreprise commune d’ici la fin de l’année.",
         ("Les industriels européens suivent de près ce rapprochement, qui pourrait peser sur le prix "
         "des batteries.")]),
    "/articles/sanctions-japon.html": (
        "Tokyo menace Pyongyang de nouvelles sanctions",
        [("Le Japon a menacé lundi la Corée du Nord de nouvelles sanctions économiques après un tir de "
         "missile au-dessus de l’archipel."),
         "Le Premier ministre a convoqué un conseil de sécurité nationale dans la nuit.",
         "La Corée du Nord n’a pas réagi dans l’immédiat."]),
}


def page(path: str) -> str:
    title, paras = ARTICLES[path]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"</head><body><nav>Accueil | Monde | Économie</nav><article><h1>{html.escape(title)}</h1>{body}"
            "</article><footer>© Le Courrier du Test</footer></body></html>")


def rss(base: str, paths: list[str], *, extra: str = "") -> str:
    items = []
    for n, path in enumerate(paths):
        title, paras = ARTICLES.get(path, ("Article sans page", ["Résumé d’un article introuvable."]))
        items.append(f"<item><title>{html.escape(title)}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
                     f"<pubDate>Mon, {10 + n:02d} Nov 2026 08:00:00 GMT</pubDate>"
                     f"<description>{html.escape(paras[0])}</description></item>")
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Le Courrier du Test"
            f"</title><link>{base}/</link><description>Actualités</description>{''.join(items)}{extra}"
            "</channel></rss>")


# -- a stand-in pipeline: the round logic without spaCy ------------------------------------------
COUNTRIES = {"DEU": ("Allemagne", ["allemand", "Berlin"]), "RUS": ("Russie", ["Moscou"]),
             "JPN": ("Japon", ["Tokyo"]), "PRK": ("Corée du Nord", ["Pyongyang"]),
             "CHL": ("Chili", []), "ARG": ("Argentine", [])}
VERBS = {"accus": "ACCUSE", "menac": "THREATEN", "sign": "AGREE"}


class Crash(BaseException):
    """Stands for a process killed in the middle of a round (nothing in the round catches it)."""


@dataclass
class FakePipeline:
    """Stores articles in memory with the runner's contract: a stored id is never redone."""

    conn: sqlite3.Connection = field(default_factory=lambda: sqlite3.connect(":memory:", check_same_thread=False))
    articles: dict[str, AnnotatedArticle] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    analysed: list[str] = field(default_factory=list)
    crash_before_store: str | None = None  # a title word: crash before storing that article
    crash_after_store: str | None = None  # ... or just after storing it

    def watch_state(self) -> WatchState:
        return WatchState(self.conn)

    def record_failure(self, failure: Failure) -> None:
        self.failures.append(failure)

    def has_article(self, article_id: str) -> bool:
        return article_id in self.articles

    def get_article(self, article_id: str) -> AnnotatedArticle | None:
        return self.articles.get(article_id)

    def starts_story(self, article: AnnotatedArticle) -> bool:
        return True

    def process(self, docs):
        for doc in docs:
            if doc.id in self.articles:
                yield doc, False
                continue
            if self.crash_before_store and self.crash_before_store in (doc.title or ""):
                self.crash_before_store = None
                raise Crash("killed before the article was stored")
            self.analysed.append(doc.url)
            self.articles[doc.id] = annotate(doc)
            if self.crash_after_store and self.crash_after_store in (doc.title or ""):
                self.crash_after_store = None
                raise Crash("killed just after the article was stored")
            yield doc, True


def annotate(doc: RawDocument) -> AnnotatedArticle:
    text = doc.content
    if doc.format == "html":
        parts = re.findall(r"<p>(.*?)</p>", text, re.DOTALL) or [re.sub(r"<[^>]+>", " ", text)]
        text = "\n".join(html.unescape(p).strip() for p in parts)
    actors, events = [], []
    for code, (name, aliases) in COUNTRIES.items():
        spans = [(m.start(), m.end()) for n in [name, *aliases] for m in re.finditer(re.escape(n), text)]
        if spans:
            actors.append(Actor(id=code, name=name, kind="country", aliases=aliases, mentions=spans))
    start = 0
    for sentence in re.split(r"(?<=[.!?»])\s+|\n", text):
        begin = text.find(sentence, start)
        start = begin + len(sentence)
        for stem, kind in VERBS.items():
            if stem in sentence:
                present = [a for a in actors if any(begin <= s < start for s, _ in a.mentions)]
                events.append(Event(type=kind, span=(begin, start), sentence=sentence,
                                    actor=present[0].id if present else None,
                                    recipient=present[1].id if len(present) > 1 else None))
                break
    return AnnotatedArticle(id=doc.id, source=doc.source, text=text, url=doc.url, title=doc.title,
                            outlet=doc.outlet, published=doc.published, lang="fr", actors=actors,
                            events=events, story="s-" + doc.id)


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def site():
    s = Site()
    for path in ARTICLES:
        s.routes[path] = static(page(path))
    yield s
    s.close()


POLICY = FetchPolicy.from_config(allow_private=True, host_delay=0.0, backoff=0.01, timeout=0.5, deadline=2.0,
                                 retries=1, max_retry_after=0.05, max_bytes=200_000)


def watcher(feeds, pipe, *, store=None, **kw) -> Watcher:
    """A watcher on ``feeds`` with the stand-in ``pipe`` (or, when None, the real pipeline into ``store``)."""
    from veille.watch.feeds import FeedSpec

    specs = [f if isinstance(f, FeedSpec) else FeedSpec(f) for f in feeds]
    kw.setdefault("policy", POLICY)
    return Watcher(specs, store=store, pipe=pipe, **kw)


def articles_by_url(pipe: FakePipeline) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in pipe.articles.values():
        counts[a.url] = counts.get(a.url, 0) + 1
    return counts


# -- rounds ------------------------------------------------------------------------------------
def test_second_round_processes_only_the_new_item(site):
    paths = ["/articles/cyber-hopitaux.html", "/articles/lithium.html"]
    site.routes["/rss.xml"] = with_etag(rss(site.base, paths), '"r1"')
    pipe = FakePipeline()
    lines: list[str] = []
    with watcher([site.url("/rss.xml")], pipe, echo=lines.append) as w:
        first = w.run_round()
        assert (first.entries_new, first.articles_new, first.failures) == (2, 2, 0)
        # Same feed: 304, nothing fetched but the feed.
        before = len(site.log)
        again = w.run_round()
        assert again.feeds_unchanged == 1 and again.articles_new == 0 and again.pages == 0
        assert [p for p, _ in site.log[before:]] == ["/rss.xml"]
        conditional = site.log[-1][1]
        assert conditional.get("If-None-Match") == '"r1"'
        # A new item: only its page is fetched and analysed.
        site.routes["/rss.xml"] = with_etag(rss(site.base, [*paths, "/articles/sanctions-japon.html"]), '"r2"')
        before = len(site.log)
        third = w.run_round()
    assert (third.entries_new, third.articles_new, third.pages) == (1, 1, 1)
    fetched = [p for p, _ in site.log[before:]]
    assert fetched == ["/rss.xml", "/articles/sanctions-japon.html"]
    assert pipe.analysed == [site.url(p) for p in [*paths, "/articles/sanctions-japon.html"]]
    assert "3 new entries" not in first.line() and "2 new article(s)" in first.line()


def test_changed_entry_is_processed_again_and_same_content_is_not(site):
    path = "/articles/lithium.html"
    site.routes["/rss.xml"] = static(rss(site.base, [path]), "application/rss+xml")
    pipe = FakePipeline()
    with watcher([site.url("/rss.xml")], pipe) as w:
        w.run_round()
        # The feed changes the entry's summary but the page is the same: fetched, not re-analysed.
        site.routes["/rss.xml"] = static(rss(site.base, [path]).replace("ont signé", "signent"),
                                         "application/rss+xml")
        second = w.run_round()
        assert second.pages == 1 and second.articles_new == 0 and second.articles_known == 1
        # The page itself changes: a new version is analysed.
        site.routes[path] = static(page(path).replace("mardi", "mercredi"))
        site.routes["/rss.xml"] = static(rss(site.base, [path]).replace("ont signé", "ont paraphé"),
                                         "application/rss+xml")
        third = w.run_round()
    assert third.articles_new == 1 and len(pipe.analysed) == 2


def test_every_failure_recorded_none_fatal(site):
    base = site.base
    site.routes["/malforme.xml"] = static("<rss><channel><item><title>cassé", "application/rss+xml")
    site.routes["/erreur.xml"] = static("panne", "text/plain", status=500)
    site.routes["/lent.xml"] = slow(1.5)
    site.routes["/enorme.xml"] = huge(2_000_000)
    site.routes["/boucle1"] = redirect("/boucle2")
    site.routes["/boucle2"] = redirect("/boucle1")
    site.routes["/rapport.pdf"] = static(b"%PDF-1.4 rapport annuel", "application/pdf")
    site.routes["/page-lente.html"] = slow(1.5)
    entries = ["/articles/lithium.html", "/absente.html", "/boucle1", "/rapport.pdf", "/page-lente.html"]
    site.routes["/rss.xml"] = static(rss(base, entries), "application/rss+xml")
    feeds = ["/rss.xml", "/malforme.xml", "/erreur.xml", "/lent.xml", "/enorme.xml", "/introuvable.xml"]
    pipe = FakePipeline()
    with watcher([site.url(f) for f in feeds], pipe, max_attempts=2) as w:
        s = w.run_round()
        reasons = {f.source.replace(base, ""): f.reason for f in pipe.failures}
        assert "not an RSS/Atom feed" in reasons["/malforme.xml"]
        assert "HTTP 500" in reasons["/erreur.xml"]
        assert "timed out" in reasons["/lent.xml"]
        assert "too large" in reasons["/enorme.xml"]
        assert "HTTP 404" in reasons["/introuvable.xml"]
        assert "HTTP 404" in reasons["/absente.html"]
        assert "redirect loop" in reasons["/boucle1"]
        assert "not an HTML page" in reasons["/rapport.pdf"] and "application/pdf" in reasons["/rapport.pdf"]
        assert "timed out" in reasons["/page-lente.html"]
        assert s.feeds_failed == 5 and s.retry_later == 1
        # Permanent page failures fall back to the feed's own summary; the slow page waits.
        analysed = articles_by_url(pipe)
        assert set(analysed) == {base + p for p in entries if p != "/page-lente.html"}
        fallback = next(a for a in pipe.articles.values() if a.url == base + "/absente.html")
        assert fallback.text == "Résumé d’un article introuvable."
        # Next round: what failed is tried again; the slow page falls back after max_attempts.
        failed_before = len(pipe.failures)
        s2 = w.run_round()
    retried = {f.source.replace(base, "") for f in pipe.failures[failed_before:]}
    assert {"/malforme.xml", "/erreur.xml", "/lent.xml", "/enorme.xml", "/introuvable.xml",
            "/page-lente.html"} <= retried
    assert "/absente.html" not in retried  # done with the feed's content, not retried
    assert s2.fallbacks == 1 and base + "/page-lente.html" in articles_by_url(pipe)
    assert all(n == 1 for n in articles_by_url(pipe).values())


def test_entry_without_any_article_is_retried_then_given_up(site):
    path = "/articles/bientot.html"
    feed = rss(site.base, [path]).replace("<description>Résumé d’un article introuvable.</description>", "")
    site.routes["/rss.xml"] = static(feed, "application/rss+xml")
    pipe = FakePipeline()
    with watcher([site.url("/rss.xml")], pipe, max_attempts=3) as w:
        first = w.run_round()  # 404 and no summary to fall back on
        assert first.retry_later == 1 and not pipe.articles
        site.routes[path] = static(page("/articles/lithium.html"))  # the page is online now
        second = w.run_round()
        assert second.articles_new == 1 and site.hits(path) == 2
        del site.routes[path]
        site.routes["/rss.xml"] = static(feed.replace("bientot", "jamais"), "application/rss+xml")
        rounds = [w.run_round() for _ in range(4)]
    assert [r.retry_later for r in rounds] == [1, 1, 0, 0]  # given up after 3 tries
    assert site.hits("/articles/jamais.html") == 3


def test_robots_disallow_honoured(site):
    site.routes["/robots.txt"] = static("User-agent: *\nDisallow: /articles/lithium\n", "text/plain")
    paths = ["/articles/cyber-hopitaux.html", "/articles/lithium.html"]
    site.routes["/rss.xml"] = static(rss(site.base, paths), "application/rss+xml")
    pipe = FakePipeline()
    with watcher([site.url("/rss.xml")], pipe) as w:
        w.run_round()
    assert site.hits("/articles/lithium.html") == 0 and site.hits("/articles/cyber-hopitaux.html") == 1
    assert any("robots.txt" in f.reason and f.source.endswith("lithium.html") for f in pipe.failures)


def test_private_address_refused_without_flag(site):
    site.routes["/rss.xml"] = static(rss(site.base, ["/articles/lithium.html"]), "application/rss+xml")
    pipe = FakePipeline()
    with watcher([site.url("/rss.xml")], pipe, policy=FetchPolicy.from_config(host_delay=0.0)) as w:
        s = w.run_round()
    assert s.feeds_failed == 1 and site.log == []
    assert "non-public address" in pipe.failures[0].reason and "--allow-private" in pipe.failures[0].reason


def test_plain_pages_are_reread_each_round(site):
    from veille.watch.feeds import FeedSpec

    pipe = FakePipeline()
    with watcher([FeedSpec(site.url("/articles/lithium.html"), kind="page")], pipe) as w:
        w.run_round()
        s = w.run_round()
    assert site.hits("/articles/lithium.html") == 2 and len(pipe.articles) == 1 and s.articles_known == 1


# -- crashes and interruptions ------------------------------------------------------------------
@pytest.mark.parametrize("when", ["crash_before_store", "crash_after_store"])
def test_crash_mid_round_loses_nothing_and_duplicates_nothing(site, tmp_path, when):
    paths = list(ARTICLES)
    site.routes["/rss.xml"] = static(rss(site.base, paths), "application/rss+xml")
    rules = rules_from_data([{"name": "menaces", "events": ["THREATEN", "ACCUSE"]}])
    pipe = FakePipeline(**{when: "Tokyo"})  # the third article
    alerts = tmp_path / "alerts.jsonl"
    with watcher([site.url("/rss.xml")], pipe, rules=rules, alerts_file=alerts) as w, pytest.raises(Crash):
        w.run_round()
    # A new process: same store, same files.
    with watcher([site.url("/rss.xml")], pipe, rules=rules, alerts_file=alerts) as w:
        w.run_round()
        w.run_round()
    assert articles_by_url(pipe) == {site.url(p): 1 for p in paths}
    assert sorted(pipe.analysed) == sorted(site.url(p) for p in paths)
    lines = [json.loads(x) for x in alerts.read_text(encoding="utf-8").splitlines()]
    expected = sorted(e.type for a in pipe.articles.values() for e in a.events if e.type != "AGREE")
    assert expected == ["ACCUSE", "ACCUSE", "THREATEN"]
    assert sorted(a["event"]["type"] for a in lines) == expected
    assert len({a["id"] for a in lines}) == 3


def test_stop_ends_the_round_after_the_current_article(site):
    paths = list(ARTICLES)
    site.routes["/rss.xml"] = static(rss(site.base, paths), "application/rss+xml")
    pipe = FakePipeline()
    stop = threading.Event()

    def first_page(h):
        stop.set()  # as a SIGTERM arriving while the first page is fetched
        send(h, 200, page(paths[0]).encode("utf-8"))
    site.routes[paths[0]] = first_page
    with watcher([site.url("/rss.xml")], pipe, stop=stop) as w:
        s = w.run_round()
        assert s.interrupted and s.articles_new == 1 and s.pages == 1
        assert [link for link, _, _ in w.state.pending()] == [site.url(p) for p in paths[1:]]
        stop.clear()
        s2 = w.run_round()
    assert s2.articles_new == 2 and len(pipe.articles) == 3 and site.hits(paths[0]) == 1


# -- alerts ------------------------------------------------------------------------------------
def test_rule_fires_once_per_new_matching_event(site, tmp_path):
    paths = ["/articles/cyber-hopitaux.html", "/articles/lithium.html"]
    site.routes["/rss.xml"] = static(rss(site.base, paths), "application/rss+xml")
    rules = rules_from_data([
        {"name": "Berlin accuse", "actor": ["Berlin"], "events": ["ACCUSE"]},  # alias of DEU
        {"name": "accords", "events": ["AGREE"], "keywords": ["lithium"]},
        {"name": "rien", "events": ["ASSAULT"]},
    ])
    alerts = tmp_path / "alerts.jsonl"
    pipe = FakePipeline()
    printed: list[str] = []
    with watcher([site.url("/rss.xml")], pipe, rules=rules, alerts_file=alerts, webhook=site.url("/hook"),
                 echo=printed.append) as w:
        s1 = w.run_round()
        # The page is edited (new article id) and a new unrelated item arrives: no alert again.
        site.routes[paths[0]] = static(page(paths[0]).replace("Munich", "Nuremberg"))
        site.routes["/rss.xml"] = static(rss(site.base, [*paths, "/articles/sanctions-japon.html"])
                                         .replace("jeudi", "jeudi soir"), "application/rss+xml")
        s2 = w.run_round()
        s3 = w.run_round()
        stored = list(w.state.alerts())
    assert (s1.alerts, s2.alerts, s3.alerts) == (2, 0, 0)
    assert len(pipe.articles) == 4  # the edited page was analysed again
    lines = [json.loads(x) for x in alerts.read_text(encoding="utf-8").splitlines()]
    assert [a["rule"] for a in lines] == ["Berlin accuse", "accords"]
    first = lines[0]
    assert first["event"]["actor"] == "DEU" and first["evidence"].startswith("Le gouvernement allemand a accusé")
    art = pipe.articles[first["article"]]
    assert art.text[first["span"][0]:first["span"][1]] == first["evidence"]
    posts = [json.loads(h["body"]) for p, h in site.log if p == "/hook"]
    assert [p["rule"] for p in posts] == ["Berlin accuse", "accords"]
    assert [a["rule"] for a in stored] == ["Berlin accuse", "accords"]
    assert sum("[Berlin accuse]" in line for line in printed) == 1


def test_undelivered_webhook_is_retried_next_round(site, tmp_path):
    site.routes["/rss.xml"] = static(rss(site.base, ["/articles/sanctions-japon.html"]), "application/rss+xml")
    rules = rules_from_data([{"name": "menaces", "events": ["THREATEN"]}])
    pipe = FakePipeline()
    with watcher([site.url("/rss.xml")], pipe, rules=rules, webhook="http://127.0.0.1:9/ferme") as w:
        s1 = w.run_round()
    assert s1.alerts == 1 and any(f.stage == "alert" for f in pipe.failures)
    with watcher([site.url("/rss.xml")], pipe, rules=rules, webhook=site.url("/hook")) as w:
        s2 = w.run_round()
    posts = [json.loads(h["body"]) for p, h in site.log if p == "/hook"]
    assert s2.alerts == 0 and [p["rule"] for p in posts] == ["menaces"]


# -- the real pipeline and store -----------------------------------------------------------------
@pytest.mark.slow
def test_full_pipeline_rounds_into_the_store(site, tmp_path):
    from veille.store import open_store

    paths = list(ARTICLES)
    site.routes["/rss.xml"] = with_etag(rss(site.base, paths[:2]), '"v1"')
    site.routes["/absente.xml"] = static("introuvable", "text/plain", status=404)
    rules = rules_from_data([{"name": "lithium", "keywords": ["lithium"]},
                             {"name": "archipel", "keywords": ["archipel"]},
                             {"name": "nouvelle affaire", "new_story": True, "keywords": ["hôpitaux"]}])
    alerts = tmp_path / "alerts.jsonl"
    db = tmp_path / "veille.db"
    feeds = [site.url("/rss.xml"), site.url("/absente.xml")]
    with open_store(db) as store, watcher(feeds, None, store=store, rules=rules, alerts_file=alerts) as w:
        s1 = w.run_round()
        assert (s1.articles_new, s1.feeds_failed, s1.alerts) == (2, 1, 2)
        site.routes["/rss.xml"] = with_etag(rss(site.base, paths), '"v2"')
        s2 = w.run_round()
        assert (s2.entries_new, s2.articles_new, s2.pages, s2.alerts) == (1, 1, 1, 1)
        s3 = w.run_round()
        assert (s3.feeds_unchanged, s3.pages, s3.articles_new, s3.alerts) == (1, 0, 0, 0)
        stored = {a.url: a for a in store.records()}
        errors = store.errors()
    assert set(stored) == {site.url(p) for p in paths}
    assert all(a.story and a.lang == "fr" for a in stored.values())
    assert "Bavière" in stored[site.url(paths[0])].text and "Accueil | Monde" not in stored[site.url(paths[0])].text
    assert [e["source"] for e in errors] == [site.url("/absente.xml")] and "HTTP 404" in errors[0]["reason"]
    lines = [json.loads(x) for x in alerts.read_text(encoding="utf-8").splitlines()]
    assert [a["rule"] for a in lines] == ["nouvelle affaire", "lithium", "archipel"]
    assert lines[0]["story"] == stored[site.url(paths[0])].story
    art = stored[lines[2]["url"]]
    assert art.text[lines[2]["span"][0]:lines[2]["span"][1]] == lines[2]["evidence"]
    # A second process on the same store: nothing is redone.
    with open_store(db) as store, watcher(feeds, None, store=store, rules=rules, alerts_file=alerts) as w:
        s4 = w.run_round()
        assert store.count() == 3
    assert (s4.articles_new, s4.alerts) == (0, 0)


# -- the command, killed and restarted -------------------------------------------------------------
def _veille(*args: str, **kw):
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "veille.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _setup_command(site, tmp_path):
    paths = list(ARTICLES)
    site.routes[paths[2]] = lambda h: (time.sleep(3), send(h, 200, page(paths[2]).encode()))
    site.routes["/rss.xml"] = static(rss(site.base, paths), "application/rss+xml")
    (tmp_path / "feeds.txt").write_text(f"# flux de test\n{site.url('/rss.xml')}\n", encoding="utf-8")
    (tmp_path / "regles.yaml").write_text("- name: lithium\n  keywords: [lithium]\n"
                                          "- name: archipel\n  keywords: [archipel]\n", encoding="utf-8")
    (tmp_path / "reglages.toml").write_text("[watch]\nhost_delay = 0.0\nretries = 0\ntimeout = 10.0\nbatch = 1\n",
                                            encoding="utf-8")
    return ["watch", str(tmp_path / "feeds.txt"), "--watchlist", str(tmp_path / "regles.yaml"),
            "--alerts", str(tmp_path / "alertes.jsonl"), "--allow-private", "--db", str(tmp_path / "v.db"),
            "--config", str(tmp_path / "reglages.toml")]


def _stored(db) -> list[str]:
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT url FROM articles")]
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


@pytest.mark.slow
def test_killed_mid_round_then_restarted_loses_and_duplicates_nothing(site, tmp_path):
    import signal

    args = _setup_command(site, tmp_path)
    proc = _veille(*args, "--every", "1h")
    try:
        deadline = time.monotonic() + 300
        while len(_stored(tmp_path / "v.db")) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read()
        proc.send_signal(signal.SIGKILL)  # in the middle of the slow third page
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(_stored(tmp_path / "v.db")) == 2
    again = _veille(*args, "--once")
    _out, errors = again.communicate(timeout=300)
    assert again.returncode == 0, errors
    urls = _stored(tmp_path / "v.db")
    assert sorted(urls) == sorted(site.url(p) for p in ARTICLES)
    lines = [json.loads(x) for x in (tmp_path / "alertes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(a["rule"] for a in lines) == ["archipel", "lithium"]
    listed = _veille("alerts", "--db", str(tmp_path / "v.db")).communicate(timeout=120)[0]
    assert "[lithium]" in listed and "[archipel]" in listed


@pytest.mark.slow
def test_sigterm_ends_the_watch_cleanly(site, tmp_path):
    import signal

    args = _setup_command(site, tmp_path)
    proc = _veille(*args, "--every", "1h")
    try:
        for line in proc.stdout:
            if line.startswith("round 1:"):
                break
        proc.send_signal(signal.SIGTERM)
        _out, errors = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, errors
    assert sorted(_stored(tmp_path / "v.db")) == sorted(site.url(p) for p in ARTICLES), (line, _out, errors)


def test_outlet_is_the_pages_own_site_name_then_the_feeds_title(site):
    from veille.watch import site_name

    named = "/articles/lithium.html"
    site.routes[named] = static(page(named).replace(
        "<head>", "<head><meta content='Le Journal &amp; Cie' property=\"og:site_name\">"))
    paths = [named, "/articles/sanctions-japon.html"]
    site.routes["/rss.xml"] = static(rss(site.base, paths), "application/rss+xml")
    pipe = FakePipeline()
    with watcher([site.url("/rss.xml")], pipe) as w:
        w.run_round()
    outlets = {a.url: a.outlet for a in pipe.articles.values()}
    assert outlets == {site.url(named): "Le Journal & Cie",  # the page's og:site_name wins
                       site.url("/articles/sanctions-japon.html"): "Le Courrier du Test"}  # else the feed's title
    assert site_name('<meta name="og:site_name" content="  Ouest  Nouvelles ">') == "Ouest Nouvelles"
    assert site_name('<meta property="og:title" content="Un titre">') is None
