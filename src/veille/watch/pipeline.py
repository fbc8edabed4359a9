"""What a watch round needs from the pipeline and the store, in one place.

Documents go through the local runner (``runners.local.run_items``): the same stages as
``veille run``, an id already stored is skipped before nlp, and the duplicate and story
indexes are loaded from the store and saved back, so stories are updated in place.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..config import Config
from ..records import AnnotatedArticle, Failure, RawDocument

if TYPE_CHECKING:
    from ..store.base import WatchStore
    from ..store.watchstate import WatchState


class Pipeline:
    """The runner and the store, as the watch rounds use them."""

    def __init__(self, store: WatchStore, cfg: Config | None = None):
        self.store = store
        self.cfg = cfg or Config()
        self._state: WatchState | None = None

    def watch_state(self) -> WatchState:
        if self._state is None:
            self._state = self.store.watch_state()
        return self._state

    def record_failure(self, failure: Failure) -> None:
        self.store.put_failures([failure])

    def clear_failures(self, source: str, *, stage: str) -> None:
        self.watch_state().clear_failures(source, stage=stage)

    def has_article(self, article_id: str) -> bool:
        return bool(self.store.has(article_id))

    def get_article(self, article_id: str) -> AnnotatedArticle | None:
        return self.store.get(article_id)

    def starts_story(self, article: AnnotatedArticle) -> bool:
        """Whether ``article`` started its story: the first stored article of the story.

        Stable across rounds and restarts: the answer does not change when later articles
        join the story, so a rule evaluated again after a crash answers the same.
        """
        if not article.story:
            return False
        first = self.watch_state().first_of_story(article.story)
        return first is None or first == article.id

    def process(self, docs: Iterable[RawDocument]) -> Iterator[tuple[RawDocument, bool] | Failure]:
        """Runs ``docs`` into the store in one runner call; yields (document, newly stored)
        for each document whose article is stored, and the failures met (recorded already)."""
        from ..runners.local import run_items

        docs = list(docs)
        ids = [d.id for d in docs]
        before = self.store.known(ids)
        summary = run_items(docs, self.cfg, self.store)
        yield from summary.failures
        failed = {(f.source, f.locator) for f in summary.failures}
        stored = self.store.known(ids)
        for doc in docs:
            if doc.id in stored:
                yield doc, doc.id not in before
            elif (doc.source, doc.locator) not in failed:
                yield Failure(source=doc.source, reason="the pipeline kept no article from this page "
                              "(no article text found)", stage="watch", locator=doc.locator)
