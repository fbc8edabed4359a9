"""The nlp stage: Article -> AnnotatedArticle (actors, cited sources, quotes, events).

One entry point, :func:`run`. French articles are parsed with spaCy (``[nlp] model``,
loaded once per process) in batches of ``[nlp] batch_size`` articles and at most
``[nlp] batch_chars`` characters; a longer article is parsed in parts of that size joined
back into one Doc, so memory does not depend on the longest article. An article longer
than ``[nlp] max_chars`` becomes a failure. ``[nlp] workers`` > 1 spreads the batches
over that many processes, with the same results and order. An English article gets the
actors and cited sources that need no parse (:mod:`.plain`); an article in another
language passes with no annotations. spaCy objects never leave this package: what it
yields are plain records.
"""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import Config, NlpSettings
from ..records import Actor, AnnotatedArticle, Article, Failure
from . import actors as actorsmod
from . import dictionary as dictmod
from . import events as eventsmod
from . import lexicon as lexmod
from . import plain as plainmod
from . import quotes as quotesmod
from . import sources as sourcesmod
from .facts import DocFacts
from .pipeline import batched, keep_whole, load_model, parse

log = logging.getLogger(__name__)

STAGE = "nlp"


class _Tools:
    """Everything one process needs: the model and the dictionaries, loaded once."""

    def __init__(self, settings: NlpSettings):
        self.nlp = load_model(settings.model, max_length=settings.max_chars)
        self.actors = dictmod.default(settings.actors)
        keep_whole(self.nlp, self.actors.hyphenated_names())
        self.lexicon = lexmod.load(settings.lexicon) if settings.lexicon else lexmod.default()
        self.batch_size = settings.batch_size
        self.batch_chars = settings.batch_chars
        self.max_chars = settings.max_chars


_TOOLS: dict[tuple, _Tools] = {}


def _tools(settings: NlpSettings) -> _Tools:
    key = (settings.model, settings.actors, settings.lexicon, settings.batch_size, settings.batch_chars,
           settings.max_chars)
    t = _TOOLS.get(key)
    if t is None:
        t = _TOOLS[key] = _Tools(settings)
    return t


def _is_french(article: Article) -> bool:
    return article.lang is None or article.lang.lower().startswith("fr")


def annotate_doc(doc: Any, article: Article, tools: _Tools) -> AnnotatedArticle:
    """Actors, cited sources, quotes and events of one parsed article. The Doc's token
    facts are read once here and kept by the actor resolution for every later pass."""
    res = actorsmod.resolve_actors(doc, tools.actors, outlet=article.outlet, facts=DocFacts(doc), sources=False)
    res.cited_sources = sourcesmod.find(doc, res, tools.actors, outlet=article.outlet, words=tools.lexicon)
    quotes = quotesmod.extract(doc, res, article, lexicon=tools.lexicon)
    events = eventsmod.extract(doc, res, quotes, article, lexicon=tools.lexicon)
    actors = sorted(res.actors.values(), key=lambda a: (a.mentions[0] if a.mentions else (10**9, 0)))
    return AnnotatedArticle.from_article(
        article, actors=[_plain_actor(a) for a in actors], quotes=quotes,
        cited_sources=list(res.cited_sources), events=events, tokens=len(doc))


def _unparsed(article: Article, tools: _Tools) -> AnnotatedArticle:
    """An article the French parser does not read: in English, the actors and cited sources
    that need no parse (:mod:`.plain`); in another language, nothing."""
    if (article.lang or "").lower()[:2] not in plainmod.LANGUAGES:
        return AnnotatedArticle.from_article(article)
    actors, cited = plainmod.read(article.text, tools.actors, outlet=article.outlet)
    return AnnotatedArticle.from_article(article, actors=actors, cited_sources=cited)


def _plain_actor(a: Actor) -> Actor:
    return Actor(id=a.id, name=a.name, kind=a.kind, country=a.country, sector=a.sector, role=a.role,
                 aliases=list(a.aliases), mentions=sorted(set(a.mentions)))


def process_batch(batch: list[Any], settings: NlpSettings) -> list[Any]:
    """Annotate one batch of items in this process; Failures and other languages pass."""
    tools = _tools(settings)
    out: list[Any] = list(batch)
    todo = [(k, it) for k, it in enumerate(batch) if isinstance(it, Article) and not isinstance(it, AnnotatedArticle)
            and _is_french(it)]
    for k, it in enumerate(batch):
        if isinstance(it, Article) and not isinstance(it, AnnotatedArticle) and not _is_french(it):
            out[k] = _unparsed(it, tools)
    too_long = [(k, it) for k, it in todo if len(it.text) > tools.max_chars]
    for k, it in too_long:
        out[k] = Failure(source=it.source, reason=f"nlp: an article of {len(it.text):,} characters, longer than "
                         f"nlp.max_chars ({tools.max_chars:,}); raise the limit in your settings to annotate it",
                         stage=STAGE, locator=it.locator)
    todo = [(k, it) for k, it in todo if len(it.text) <= tools.max_chars]
    if not todo:
        return out
    docs = parse(tools.nlp, [it.text for _, it in todo], batch_size=tools.batch_size,
                 batch_chars=tools.batch_chars)
    for (k, article), doc in zip(todo, docs):
        if isinstance(doc, BaseException):
            out[k] = Failure(source=article.source, reason=f"nlp: the parser failed: {doc}", stage=STAGE,
                             locator=article.locator)
            continue
        try:
            out[k] = annotate_doc(doc, article, tools)
        except Exception as e:
            log.debug("nlp failed on %s", article.source, exc_info=True)
            out[k] = Failure(source=article.source, reason=f"nlp: {type(e).__name__}: {e}", stage=STAGE,
                             locator=article.locator)
    return out


def _settings(cfg: Config, actors: Iterable[str | Path]) -> NlpSettings:
    s = replace(cfg.nlp, actors=tuple(dict.fromkeys([*cfg.nlp.actors, *(str(p) for p in actors)])))
    # Fail early, in the caller, on a missing model or a bad actor file.
    dictmod.default(s.actors)
    return s


def run(items: Iterable[Article | Failure], cfg: Config, *,
        actors: Iterable[str | Path] = ()) -> Iterator[AnnotatedArticle | Failure]:
    """Annotate articles lazily, in input order. ``actors``: extra actor files (added to
    ``[nlp] actors``). Failures pass through untouched; an article that cannot be
    annotated becomes a ``Failure(stage="nlp")``."""
    settings = _settings(cfg, actors)
    size, workers = settings.batch_size, settings.workers
    batches = batched(items, size, max_chars=settings.batch_chars, size_of=_chars)
    if workers == 1:
        for batch in batches:
            yield from process_batch(batch, settings)
        return
    yield from _parallel(batches, settings, workers)


def _chars(item: Any) -> int:
    """What an item weighs in a parse batch: its text's length (nothing for a failure)."""
    return len(item.text) if isinstance(item, Article) else 0


def _parallel(batches: Iterator[list[Any]], settings: NlpSettings, workers: int) -> Iterator[Any]:
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(workers, initializer=_tools, initargs=(settings,)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.apply_async(process_batch, (batch, settings)))
            while len(pending) >= workers * 2:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


__all__ = ["STAGE", "annotate_doc", "process_batch", "run"]
