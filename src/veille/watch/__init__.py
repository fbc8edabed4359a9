"""Watching feeds: fetch new articles, run them through the pipeline, raise alerts.

One **round** (:func:`run_round`):

1. fetch every feed of the list (conditional GET: an unchanged feed costs a 304);
2. note its entries; an entry is *pending* when it is new, when the feed says it changed,
   or when it failed last time;
3. for each pending entry, fetch its page (conditional GET too); run the fetched pages,
   a batch at a time (``watch.batch``), through the pipeline into the store (an article
   already stored is not processed again; stories are updated in place); match the
   watchlist against each article and raise each new alert once; then mark the entries
   done. When the page cannot be fetched for good
   (404, robots.txt, not HTML, too large…) the feed entry's own content is used instead;
   when the failure may be temporary (timeout, 5xx) the entry stays pending and the next
   round tries again, falling back to the feed's content after ``max_attempts`` tries.

Every failure is recorded in the store with its URL and reason (``veille errors``).
An entry is marked done only once its articles and alerts are stored, so a round that is
interrupted (Ctrl-C, SIGTERM, a crash) loses nothing: the next round redoes the entry,
finds its article already stored, and raises only the alerts not raised yet.

:func:`watch` repeats rounds every ``every`` seconds until stopped.
"""
from __future__ import annotations

import html
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from ..config import Config
from ..errors import ConfigError, VeilleError
from ..records import AnnotatedArticle, Failure, RawDocument, stable_id
from .alerts import FileSink, PrintSink, WebhookSink, make_alert
from .feeds import Entry, FeedSpec, load_feeds, parse_feed
from .fetch import Fetcher, FetchPolicy, FetchResult
from .rules import Rule, load_watchlist, match_article

if TYPE_CHECKING:
    from ..store.base import WatchStore

log = logging.getLogger(__name__)

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)

__all__ = [
    "FeedSpec",
    "FetchPolicy",
    "RoundSummary",
    "Rule",
    "Watcher",
    "load_feeds",
    "load_watchlist",
    "parse_duration",
    "run_round",
    "watch",
]


def parse_duration(text: str) -> float:
    """Seconds in "30s", "15m", "1h", "1d" or a bare number of seconds."""
    m = _DURATION.match(text or "")
    if not m:
        raise ConfigError(f"'{text}' is not a duration; write for example 30s, 15m, 1h or 1d")
    value = float(m.group(1))
    unit = (m.group(2) or "s").lower()
    seconds = value * {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}[unit]
    if seconds <= 0:
        raise ConfigError(f"'{text}': the interval must be longer than zero")
    return seconds


@dataclass(slots=True)
class _Job:
    """One pending entry on its way through a round."""

    link: str
    entry: dict[str, Any]
    doc: RawDocument | None  # the page, or None when it could not be used
    problem: str | None = None
    fallback: RawDocument | None = None
    ids: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    tries: int = 0  # failed attempts so far, when the page could not be fetched


@dataclass(slots=True)
class RoundSummary:
    """What one round did."""

    feeds: int = 0
    feeds_unchanged: int = 0
    feeds_failed: int = 0
    entries_new: int = 0
    pages: int = 0
    articles_new: int = 0
    articles_known: int = 0
    fallbacks: int = 0
    failures: int = 0
    retry_later: int = 0
    alerts: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        parts = [f"{self.feeds} feed(s) ({self.feeds_unchanged} unchanged, {self.feeds_failed} failed)",
                 f"{self.entries_new} new entr{'y' if self.entries_new == 1 else 'ies'}",
                 f"{self.articles_new} new article(s)", f"{self.articles_known} already stored",
                 f"{self.failures} failure(s)", f"{self.alerts} alert(s)"]
        if self.fallbacks:
            parts.append(f"{self.fallbacks} from the feed's own content")
        if self.retry_later:
            parts.append(f"{self.retry_later} to retry next round")
        text = ", ".join(parts) + f" in {self.seconds:.1f}s"
        return ("interrupted: " if self.interrupted else "") + text


Echo = Callable[[str], None]


class Watcher:
    """Runs watch rounds against one store. Library entry: see :func:`watch`/:func:`run_round`."""

    def __init__(self, feeds: Iterable[FeedSpec], *, store: WatchStore, cfg: Config | None = None,
                 rules: Iterable[Rule] = (), alerts_file: str | Path | None = None,
                 webhook: str | None = None, policy: FetchPolicy | None = None,
                 echo: Echo | None = None, stop: threading.Event | None = None,
                 max_attempts: int | None = None, batch: int | None = None, pipe: Any = None):
        self.cfg = cfg or Config()
        self.feeds = list(feeds)
        self.rules = list(rules)
        self.store = store
        self.stop = stop or threading.Event()
        self.policy = policy or FetchPolicy.from_config(self.cfg.watch)
        self.max_attempts = max_attempts or self.cfg.watch.max_attempts
        self.batch = max(1, batch or self.cfg.watch.batch)
        self.echo = echo or (lambda _line: None)
        if pipe is None:
            from .pipeline import Pipeline

            pipe = Pipeline(store, self.cfg)
        self.pipe = pipe
        self.state = self.pipe.watch_state()
        self.sinks: list[Any] = [PrintSink(self.echo)]
        if alerts_file:
            self.sinks.append(FileSink(alerts_file))
        if webhook:
            self.sinks.append(WebhookSink(webhook))
        self.fetcher = Fetcher(self.policy, stop=self.stop)

    def close(self) -> None:
        self.fetcher.close()
        for sink in self.sinks:
            if hasattr(sink, "close"):
                sink.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one round ---------------------------------------------------------------------------
    def run_round(self) -> RoundSummary:
        """Fetch every feed, process every pending entry; stops early (cleanly) when ``stop`` is set."""
        started = time.monotonic()
        s = RoundSummary()
        self._deliver_pending(s)
        for spec in self.feeds:
            if self.stop.is_set():
                break
            s.feeds += 1
            if spec.kind == "page":
                self.state.see_entry(spec.url, feed=spec.url, fingerprint="page", entry={"link": spec.url})
                self.state.requeue(spec.url)
                continue
            try:
                self._read_feed(spec, s)
            except VeilleError:
                raise
            except Exception as e:  # one feed never stops the round
                log.debug("feed %s", spec.url, exc_info=True)
                s.feeds_failed += 1
                self._fail(s, spec.url, f"feed could not be read ({type(e).__name__}: {e})", stage="feed")
        jobs: list[_Job] = []
        for link, entry, _attempts in self.state.pending():
            if self.stop.is_set():
                break
            try:
                job = self._fetch_page(link, entry, s)
            except VeilleError:
                raise
            except Exception as e:  # one page never stops the round
                log.debug("page %s", link, exc_info=True)
                reason = f"page could not be read ({type(e).__name__}: {e})"
                self._fail(s, link, reason, stage="watch")
                if self.state.entry_failed(link, reason) >= self.max_attempts:
                    self.state.entry_done(link, [], error=reason)
                continue
            if job is not None:
                jobs.append(job)
            if len(jobs) >= self.batch:
                self._run_jobs(jobs, s)
                jobs = []
        if jobs:
            self._run_jobs(jobs, s)
        s.interrupted = self.stop.is_set()
        s.seconds = time.monotonic() - started
        return s

    def _fail(self, s: RoundSummary, url: str, reason: str, *, stage: str = "fetch", locator: str = "") -> None:
        s.failures += 1
        s.failed.append((url, reason))
        self.pipe.record_failure(Failure(source=url, reason=reason, stage=stage, locator=locator))
        self.echo(f"  ! {url}: {reason}")

    def _read_feed(self, spec: FeedSpec, s: RoundSummary) -> None:
        etag, modified = self.state.validators(spec.url)
        res = self.fetcher.get(spec.url, etag=etag, last_modified=modified, accept=FEED_ACCEPT)
        if not res.ok:
            s.feeds_failed += 1
            self.state.fetched(spec.url, status=res.status, error=res.error, keep=True)
            self._fail(s, spec.url, f"feed not fetched: {res.error}")
            return
        if res.not_modified:
            s.feeds_unchanged += 1
            self.state.fetched(spec.url, status=304, keep=True)
            if hasattr(self.pipe, "clear_failures"):
                self.pipe.clear_failures(spec.url, stage="fetch")
            return
        problems: list[tuple[str, str]] = []
        entries, error = parse_feed(res.content, url=res.final_url, problems=problems)
        if error:
            s.feeds_failed += 1
            # Forget the validators: a broken feed must be read again in full next round.
            self.state.fetched(spec.url, status=res.status, error=error)
            self._fail(s, spec.url, error, stage="feed")
            return
        if hasattr(self.pipe, "clear_failures"):
            self.pipe.clear_failures(spec.url, stage="fetch")
            self.pipe.clear_failures(spec.url, stage="feed")
        for locator, reason in problems:
            self._fail(s, spec.url, reason, stage="feed", locator=locator)
        for entry in entries:
            if self.state.see_entry(entry.link, feed=spec.url, fingerprint=entry.fingerprint,
                                    entry=_entry_dict(entry)):
                s.entries_new += 1
        self.state.fetched(spec.url, status=res.status, etag=res.etag, last_modified=res.last_modified)

    def _fetch_page(self, link: str, entry: dict[str, Any], s: RoundSummary) -> _Job | None:
        """Fetches one pending entry's page: a job to run, or None when the entry is settled
        (unchanged page already stored) or waits for the next round (temporary failure)."""
        s.pages += 1
        etag, modified = self.state.validators(link)
        res = self.fetcher.get(link, etag=etag, last_modified=modified, accept=PAGE_ACCEPT)
        if res.ok and res.not_modified:
            self.state.fetched(link, status=304, keep=True)
            known = self.state.entry_articles(link)
            if known and all(self.pipe.has_article(a) for a in known):
                s.articles_known += len(known)
                self._alerts_for(known, s)
                self.state.entry_done(link, known)
                return None
            # Validators kept but the article is not in this store: read the page in full.
            self.state.forget_validators(link)
            res = self.fetcher.get(link, accept=PAGE_ACCEPT)
        problem = res.error
        doc: RawDocument | None = None
        if res.ok:
            doc, problem = _page_document(res, entry)
        if doc is not None:
            self.state.fetched(link, status=res.status, etag=res.etag, last_modified=res.last_modified)
            return _Job(link, entry, doc)
        self.state.fetched(link, status=res.status, error=problem, keep=True)
        tries = self.state.entry_failed(link, problem or "")
        if res.transient and tries < self.max_attempts:
            s.retry_later += 1
            self._fail(s, link, f"page not fetched: {problem} (tried again next round)")
            return None
        return _Job(link, entry, None, problem=f"page not fetched: {problem}", tries=tries)

    def _run_jobs(self, jobs: list[_Job], s: RoundSummary) -> None:
        """Runs the fetched pages through the pipeline in one go; pages that give no article
        (or could not be fetched) fall back to their feed entry's content; then alerts, and
        each entry is marked done only now that its articles and alerts are stored."""
        self._run([j.doc for j in jobs if j.doc is not None], jobs, s)
        fallbacks = []
        for job in jobs:
            if job.ids:
                continue
            if job.doc is not None:
                job.problem = job.problem or "the page gave no article"
            job.fallback = _entry_document(job.link, job.entry)
            if job.fallback is not None:
                fallbacks.append(job.fallback)
                s.fallbacks += 1
        if fallbacks:
            self._run(fallbacks, jobs, s)
        for job in jobs:
            # Recorded once the fallback is stored: storing an article clears its source's failures.
            if job.doc is None and job.problem:
                used = "; the feed's own content was used instead" if job.ids else ""
                self._fail(s, job.link, job.problem + used)
            elif job.fallback is not None:
                for f in job.failures:
                    self.pipe.record_failure(f)
            if job.ids:
                self._alerts_for(job.ids, s)
                self.state.entry_done(job.link, job.ids, error=job.problem)
                continue
            # Nothing stored from this entry: try again next round, up to max_attempts.
            tries = job.tries or self.state.entry_failed(job.link, job.problem or "no article")
            if tries < self.max_attempts:
                s.retry_later += 1
            else:
                self.state.entry_done(job.link, [], error=job.problem)

    def _run(self, docs: list[RawDocument], jobs: list[_Job], s: RoundSummary) -> None:
        """Runs ``docs`` through the pipeline; fills the ids and failures of their jobs."""
        if not docs:
            return
        by_source = {j.link: j for j in jobs}
        for outcome in self._process(docs):
            if isinstance(outcome, Failure):
                job = by_source.get(outcome.source)
                if job is not None:
                    job.failures.append(outcome)
                self._fail(s, outcome.source, outcome.reason, stage=outcome.stage, locator=outcome.locator)
                continue
            doc, new = outcome
            job = by_source.get(doc.source)
            if job is not None:
                job.ids.append(doc.id)
            if new:
                s.articles_new += 1
            else:
                s.articles_known += 1

    def _process(self, docs: list[RawDocument]) -> list[Any]:
        """The pipeline's outcomes for ``docs``; when it fails on the batch, each document is
        run alone, and one that still fails becomes a failure of its own: one bad page never
        stops the others."""
        try:
            return list(self.pipe.process(docs))
        except VeilleError:
            raise
        except Exception as e:
            if len(docs) == 1:
                log.debug("pipeline on %s", docs[0].source, exc_info=True)
                return [Failure(docs[0].source, f"could not be processed ({type(e).__name__}: {e})",
                                stage="watch", locator=docs[0].locator)]
        return [outcome for doc in docs for outcome in self._process([doc])]

    # -- alerts ------------------------------------------------------------------------------
    def _alerts_for(self, article_ids: list[str], s: RoundSummary) -> None:
        if not self.rules:
            return
        for article_id in article_ids:
            article = self.pipe.get_article(article_id)
            if article is None:
                continue
            self.raise_alerts(article, s)

    def raise_alerts(self, article: AnnotatedArticle, s: RoundSummary | None = None) -> int:
        """Matches the watchlist against ``article``; records and delivers each new alert once."""
        new_story = self.pipe.starts_story(article)
        sinks = tuple(sink.name for sink in self.sinks if sink.name != "print")
        raised = 0
        for match in match_article(self.rules, article, new_story=new_story):
            alert = make_alert(match, article, created=_now())
            if self.state.add_alert(match.key, alert, sinks=sinks):
                raised += 1
                self._deliver(match.key, alert, s)
        if s is not None:
            s.alerts += raised
        return raised

    def _deliver(self, key: str, alert: dict[str, Any], s: RoundSummary | None) -> None:
        for sink in self.sinks:
            if sink.name == "print":
                sink.send(alert)
                continue
            problem = sink.send(alert)
            if problem is None:
                self.state.sent(key, sink.name)
            elif s is not None:
                self._fail(s, getattr(sink, "url", str(getattr(sink, "path", sink.name))),
                           f"alert '{alert['rule']}' not delivered: {problem} (retried next round)",
                           stage="alert")

    def _deliver_pending(self, s: RoundSummary) -> None:
        """Delivers alerts a previous round raised but could not deliver (crash, webhook down)."""
        for sink in self.sinks:
            if sink.name == "print":
                continue
            for key, alert in self.state.unsent(sink.name):
                problem = sink.send(alert)
                if problem is None:
                    self.state.sent(key, sink.name)
                else:
                    self._fail(s, getattr(sink, "url", sink.name), f"alert not delivered: {problem}",
                               stage="alert")
                    break

    # -- many rounds -------------------------------------------------------------------------
    def watch(self, *, every: float | None = None, once: bool = False,
              on_round: Callable[[int, RoundSummary], None] | None = None) -> list[RoundSummary]:
        """Rounds until ``stop`` is set (or one round with ``once``); returns their summaries."""
        if not once and (every is None or every <= 0):
            raise ConfigError("give an interval (for example --every 15m) or --once")
        done: list[RoundSummary] = []
        n = 0
        while not self.stop.is_set():
            n += 1
            summary = self.run_round()
            done.append(summary)
            if on_round is not None:
                on_round(n, summary)
            if once or self.stop.is_set():
                break
            self.stop.wait(every)  # type: ignore[arg-type]
        return done


def run_round(feeds: Iterable[FeedSpec] | str | Path, *, store: WatchStore, cfg: Config | None = None,
              rules: Iterable[Rule] | str | Path = (), **options: Any) -> RoundSummary:
    """One watch round; ``feeds`` and ``rules`` may be file paths. See :class:`Watcher` for options."""
    with _watcher(feeds, store=store, cfg=cfg, rules=rules, **options) as w:
        return w.run_round()


def watch(feeds: Iterable[FeedSpec] | str | Path, *, store: WatchStore, cfg: Config | None = None,
          rules: Iterable[Rule] | str | Path = (), every: float | str | None = None, once: bool = False,
          on_round: Callable[[int, RoundSummary], None] | None = None, **options: Any) -> list[RoundSummary]:
    """Watch rounds every ``every`` (seconds or "15m") until ``stop`` is set, or one with ``once``."""
    if isinstance(every, str):
        every = parse_duration(every)
    with _watcher(feeds, store=store, cfg=cfg, rules=rules, **options) as w:
        return w.watch(every=every, once=once, on_round=on_round)


def _watcher(feeds: Any, *, store: WatchStore, cfg: Config | None, rules: Any,
             **options: Any) -> Watcher:
    if isinstance(feeds, (str, Path)):
        feeds = load_feeds(feeds)
    if isinstance(rules, (str, Path)):
        rules = load_watchlist(rules)
    return Watcher(feeds, store=store, cfg=cfg, rules=rules, **options)


def _now() -> str:
    from ..store.watchstate import now
    return now()


def _entry_dict(entry: Entry) -> dict[str, Any]:
    return {"link": entry.link, "key": entry.key, "title": entry.title, "published": entry.published,
            "content": entry.content, "format": entry.content_format, "outlet": entry.outlet}


def _decode(data: bytes, content_type: str) -> str:
    """Text of a fetched page: declared charset (header, then meta), else UTF-8, else detected."""
    m = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE) or \
        re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", data[:4096], re.IGNORECASE)
    if m:
        name = m.group(1)
        name = name.decode("ascii", "replace") if isinstance(name, bytes) else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("utf-8", "replace")


def _page_document(res: FetchResult, entry: dict[str, Any]) -> tuple[RawDocument | None, str | None]:
    """A RawDocument from a fetched page, or the reason it is not one."""
    ctype = res.content_type.split(";", 1)[0].strip().lower()
    head = res.content[:1024].lstrip().lower()
    if ctype in HTML_TYPES or (not ctype and head.startswith((b"<!doctype html", b"<html"))):
        fmt = "html"
    elif ctype == "text/plain":
        fmt = "text"
    else:
        return None, f"not an HTML page (content type '{ctype or 'none'}')"
    if not res.content.strip():
        return None, "empty page"
    text = _decode(res.content, res.content_type)
    link = entry.get("link") or res.url
    outlet = (site_name(text) if fmt == "html" else None) or entry.get("outlet")
    return RawDocument(id=stable_id(link, "", text), source=link, content=text, format=fmt, url=link,
                       title=entry.get("title"), published=entry.get("published"), outlet=outlet), None


_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def site_name(page: str, *, head_chars: int = 200_000) -> str | None:
    """The site's name a page gives itself (``<meta property="og:site_name" content="…">``),
    or None. A fetched page's outlet comes from here first, the feed's title only after:
    one feed may gather several sites, and a feed's title is often a section's."""
    for tag in _META.finditer(page, 0, head_chars):
        attrs = {m.group(1).lower(): m.group(2) if m.group(2) is not None else
                 m.group(3) if m.group(3) is not None else m.group(4) for m in _ATTR.finditer(tag.group(0))}
        if (attrs.get("property") or attrs.get("name") or "").lower() == "og:site_name":
            name = " ".join(html.unescape(attrs.get("content") or "").split())
            if name:
                return name
    return None


def _entry_document(link: str, entry: dict[str, Any]) -> RawDocument | None:
    """The feed entry's own content as a document, when the page itself cannot be read."""
    content = entry.get("content") or ""
    if not content.strip():
        return None
    locator = "feed entry"
    return RawDocument(id=stable_id(link, locator, content), source=link, content=content,
                       format=entry.get("format") or "html", locator=locator, url=link,
                       title=entry.get("title"), published=entry.get("published"), outlet=entry.get("outlet"))
