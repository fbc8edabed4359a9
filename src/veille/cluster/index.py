"""Online story clustering: the persistent :class:`StoryIndex`.

Each article is compared with the stories still *active* around its date (a story
fades ``window_days`` after its last dated article) that share at least one of its
salient terms or actors (an inverted index: no all-pairs comparison). The similarity
of an article with a story is::

    pair  = (1 - wa - we) * text + wa * actors + we * events    (for the article and one
            member; if the article has no actors / events, their weight goes to text)
    sim   = mean of the best 3 pair scores over the story's most recent members
            (average link, not centroid: a centroid drifts towards common words)
    sim  *= 1 - fade * gap / window_days                         (dated articles)
    sim  *= 1 - fade / 2                                          (gap unknown: the
                                                                   expected fade)

A date given to the month only ("2024-01") stands for every day of that month: the gap
is measured between the month and the story's days, and a story it joins counts the
whole month among its days. A date given to the year only, or none, leaves the gap
unknown.

Stories that can no longer be joined are *closed*: once a story's last article is
more than ``window_days + late_days`` before the newest dated article added (the
clock), :meth:`StoryIndex.close_faded` lets it go from memory and hands its final
record to whoever saves stories (:meth:`StoryIndex.take_closed`). Memory then holds
the stories of a few weeks, not of the whole corpus. Only an article arriving more than
``late_days`` after newer ones can miss a story it would have joined (it founds its own).

``text`` is the cosine of TF-IDF vectors, ``actors`` the IDF-weighted Jaccard of the
two articles' actor ids, ``events`` the Jaccard of their (actor, type, recipient)
triples. Comparing with members, not with the union of the story's actors, keeps a
large story from swallowing every article about the same actors. The article joins the
most similar story if ``sim >= threshold``, else it founds a new story whose id is
``stable_id("story", founding article id)``: ids never change when articles are added.
"""
from __future__ import annotations

import calendar
import heapq
import math
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..config import ClusterSettings, Config
from ..errors import ConfigError
from ..records import AnnotatedArticle, Story, day_of, stable_id
from .text import Normaliser, load_stopwords

_FORMAT = 2
_MAX_TERMS = 150  # terms kept per article vector
_KEYS = 12  # salient terms per article used to look up candidate stories
_POSTING_CAP = 400  # stories kept per posting (most recent), bounds work when undated
_SMOOTH = 20.0  # IDF prior: small corpora behave like plain TF, large ones like TF-IDF


def days_of(published: str | None) -> tuple[int, int] | None:
    """The first and last day an ISO date may stand for: one day ("2024-01-15"), every day
    of a month ("2024-01"); None for a year alone or no readable date."""
    first = day_of(published)
    if first is None or published is None:
        return None
    digits = published.strip()[:10]
    if len(digits) >= 10:
        return first, first
    if len(digits) == 7:
        y, m = int(digits[:4]), int(digits[5:7])
        return first, first + calendar.monthrange(y, m)[1] - 1
    return None


def _saved_settings(settings: ClusterSettings) -> dict[str, Any]:
    """The settings the index was built with, as saved beside it (the batch size shapes a
    run, not the index)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(settings).items() if k != "batch_size"}


@dataclass
class StoryState:
    """What the index keeps of one story."""

    id: str
    founder: str
    article_ids: list[str] = field(default_factory=list)
    vectors: list[dict[str, float]] = field(default_factory=list)  # recent members
    first_day: int | None = None
    last_day: int | None = None
    first_published: str | None = None
    last_published: str | None = None
    titles: list[str] = field(default_factory=list)
    actors: Counter = field(default_factory=Counter)
    events: set = field(default_factory=set)
    outlets: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    seq: int = 0  # creation order
    member_actors: list[list[str]] = field(default_factory=list)  # aligned with vectors
    member_events: list[list[list]] = field(default_factory=list)  # aligned with vectors

    def as_list(self) -> list[Any]:
        return [self.id, self.founder, self.article_ids, self.vectors, self.first_day,
                self.last_day, self.first_published, self.last_published, self.titles,
                dict(self.actors), sorted(list(t) for t in self.events), dict(self.outlets),
                dict(self.sources), self.seq, self.member_actors, self.member_events]

    @classmethod
    def from_list(cls, row: list[Any]) -> StoryState:
        s = cls(*row[:9])
        s.actors, s.events = Counter(row[9]), {tuple(t) for t in row[10]}
        s.outlets, s.sources, s.seq = Counter(row[11]), Counter(row[12]), int(row[13])
        s.member_actors, s.member_events = row[14], row[15]
        return s


def _story(st: StoryState) -> Story:
    """The record of a story."""
    return Story(
        id=st.id, title=st.titles[0] if st.titles else None,
        article_ids=list(st.article_ids), first_published=st.first_published,
        last_published=st.last_published,
        actors=[a for a, _ in sorted(st.actors.items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
        outlets=[o for o, _ in sorted(st.outlets.items(), key=lambda kv: (-kv[1], kv[0]))],
        cited_sources=[c for c, _ in sorted(st.sources.items(), key=lambda kv: (-kv[1], kv[0]))],
    )


class StoryIndex:
    """Stories found so far, their members and what is needed to add more."""

    def __init__(self, settings: ClusterSettings):
        self.settings = settings
        self.normalise = Normaliser(load_stopwords(self.settings.stopwords))
        self.df: Counter = Counter()  # term -> articles containing it
        self.adf: Counter = Counter()  # actor id -> articles mentioning it
        self.n = 0
        self._stories: dict[str, StoryState] = {}
        self.assigned: dict[str, str] = {}  # article id -> story id
        self._postings: dict[str, list[str]] = {}
        self.stats: Counter = Counter()
        self.clock: int | None = None  # newest day of a dated article added
        self._by_last: list[tuple[int, int, str]] = []  # (last day, seq, id), stale rows skipped
        self._closed: list[Story] = []
        self._closed_since_sweep = 0
        self._closed_before = 0  # closed in earlier runs
        self._seq = 0  # stories founded so far

    @classmethod
    def from_config(cls, cfg: Config) -> StoryIndex:
        return cls(cfg.cluster)

    # -- features --------------------------------------------------------------------

    def _idf(self, df: int) -> float:
        return math.log(1.0 + (self.n + _SMOOTH) / (df + _SMOOTH))

    def _aidf(self, actor: str) -> float:
        return math.log(1.0 + (self.n + _SMOOTH) / (self.adf.get(actor, 0) + _SMOOTH))

    def features(self, art: AnnotatedArticle) -> tuple[Counter, set[str], set[tuple]]:
        counts: Counter = Counter(self.normalise(art.text))
        if art.title:
            for term in self.normalise(art.title):
                counts[term] += self.settings.title_weight
        actors = {a.id for a in art.actors if a.id}
        events = {(e.actor or "", e.type, e.recipient or "") for e in art.events if e.type}
        return counts, actors, events

    def _vector(self, counts: Counter) -> dict[str, float]:
        weights = {t: (1.0 + math.log(c)) * self._idf(self.df.get(t, 0)) for t, c in counts.items()}
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_TERMS]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {t: w / norm for t, w in top}

    # -- similarity ------------------------------------------------------------------

    def similarity(self, vec: dict[str, float], actors: set[str], events: set[tuple],
                   day: tuple[int, int] | None, story: StoryState) -> float:
        s = self.settings
        wa = s.actor_weight if actors else 0.0
        we = s.event_weight if events else 0.0
        pairs = []
        for i, v in enumerate(story.vectors):
            score = (1.0 - wa - we) * sum(w * v.get(t, 0.0) for t, w in vec.items())
            if wa and i < len(story.member_actors):
                score += wa * self._actor_jaccard(actors, story.member_actors[i])
            if we and i < len(story.member_events):
                other = {tuple(t) for t in story.member_events[i]}
                score += we * len(events & other) / len(events | other)
            pairs.append(score)
        best = sorted(pairs, reverse=True)[:3]
        score = sum(best) / len(best) if best else 0.0
        gap = self._gap(day, story)
        if gap is not None:
            score *= 1.0 - s.fade * min(1.0, gap / s.window_days)
        else:
            score *= 1.0 - s.fade / 2  # an unknown gap: the mean fade over the window
        return score

    def _actor_jaccard(self, actors: set[str], other: list[str]) -> float:
        """IDF-weighted Jaccard of two sets of actor ids (rare actors count more)."""
        union = actors.union(other)
        total = sum(self._aidf(a) for a in union)
        shared = sum(self._aidf(a) for a in actors.intersection(other))
        return shared / total if total else 0.0

    @staticmethod
    def _gap(days: tuple[int, int] | None, story: StoryState) -> int | None:
        """Days between an article's days (first, last) and the story's; None when unknown."""
        if days is None or story.last_day is None:
            return None
        first = story.first_day if story.first_day is not None else story.last_day
        return max(0, days[0] - story.last_day, first - days[1])

    def _active(self, days: tuple[int, int] | None, story: StoryState) -> bool:
        gap = self._gap(days, story)
        return gap is None or gap <= self.settings.window_days

    def _candidates(self, keys: list[str], day: tuple[int, int] | None) -> list[StoryState]:
        hits: Counter = Counter()
        for key in keys:
            posting = self._postings.get(key)
            if not posting:
                continue
            alive = []
            for sid in posting:
                story = self._stories.get(sid)
                if story is None:
                    continue  # closed
                if self._active(day, story):
                    hits[sid] += 1
                    alive.append(sid)
                elif day is not None and story.last_day is not None and story.last_day < day[0]:
                    continue  # faded for good in time order: drop from the posting
                else:
                    alive.append(sid)
            if len(alive) != len(posting):
                self._postings[key] = alive
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], self._stories[kv[0]].seq))
        return [self._stories[sid] for sid, _ in ranked[: self.settings.candidates]]

    # -- adding ----------------------------------------------------------------------

    def add(self, art: AnnotatedArticle) -> str:
        """Put ``art`` in a story (existing or new) and return the story id."""
        if art.id in self.assigned:
            self.stats["again"] += 1
            return self.assigned[art.id]
        day = day_of(art.published)
        if day is not None and (self.clock is None or day > self.clock):
            self.clock = day
        days = days_of(art.published)
        if art.duplicate_of and art.duplicate_of in self.assigned:
            story = self._stories[self.assigned[art.duplicate_of]]
            self._record(story, art, days, None, None)
            self.stats["duplicates"] += 1
            return story.id
        counts, actors, events = self.features(art)
        self.n += 1
        self.df.update(counts.keys())
        self.adf.update(actors)
        vec = self._vector(counts)
        keys = [t for t, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:_KEYS]]
        keys += ["@" + a for a in sorted(actors)]
        best, best_score = None, -1.0
        for story in self._candidates(keys, days):
            score = self.similarity(vec, actors, events, days, story)
            self.stats["compared"] += 1
            if score > best_score:
                best, best_score = story, score
        if best is None or best_score < self.settings.threshold:
            sid = stable_id("story", art.id)
            best = StoryState(id=sid, founder=art.id, seq=self._seq)
            self._seq += 1
            self._stories[sid] = best
            self.stats["stories"] += 1
        else:
            self.stats["joined"] += 1
        self._record(best, art, days, vec, events)
        for key in keys:
            posting = self._postings.setdefault(key, [])
            if not posting or posting[-1] != best.id:
                if best.id in posting:
                    posting.remove(best.id)
                posting.append(best.id)
                if len(posting) > _POSTING_CAP:
                    del posting[0]
        for a in actors:
            best.actors[a] += 1
        return best.id

    def _record(self, story: StoryState, art: AnnotatedArticle, days: tuple[int, int] | None,
                vec: dict[str, float] | None, events: set | None) -> None:
        self.assigned[art.id] = story.id
        story.article_ids.append(art.id)
        if vec is not None:
            keep = self.settings.link_members
            story.vectors.append(vec)
            story.member_actors.append(sorted(a.id for a in art.actors if a.id))
            story.member_events.append(sorted({(e.actor or "", e.type, e.recipient or "")
                                                     for e in art.events if e.type}))
            del story.vectors[:-keep], story.member_actors[:-keep], story.member_events[:-keep]
        if events:
            story.events.update(events)
        if art.title:
            story.titles.append(art.title)
        if art.outlet:
            story.outlets[art.outlet] += 1
        for c in art.cited_sources:
            story.sources[c.actor or c.name] += 1
        if days is not None:
            first, last = days
            story.first_day = first if story.first_day is None else min(story.first_day, first)
            if story.last_day is None or last > story.last_day:
                story.last_day = last
                heapq.heappush(self._by_last, (last, story.seq, story.id))
        if art.published:
            if story.first_published is None or art.published < story.first_published:
                story.first_published = art.published
            if story.last_published is None or art.published > story.last_published:
                story.last_published = art.published

    # -- views -----------------------------------------------------------------------

    def story_of(self, article_id: str) -> str | None:
        return self.assigned.get(article_id)

    def __len__(self) -> int:
        return len(self._stories)

    def stories(self) -> list[Story]:
        """Every story still open (not closed), in the order they were founded."""
        return [_story(st) for st in sorted(self._stories.values(), key=lambda s: s.seq)]

    # -- closing ---------------------------------------------------------------------

    def close_faded(self) -> int:
        """Close the stories whose last article is more than ``window_days + late_days``
        before the clock; returns how many. The cluster stage calls it between batches,
        when every article of the stories it closes has been passed on."""
        if self.clock is None:
            return 0
        horizon = self.clock - self.settings.window_days - self.settings.late_days
        closed = 0
        while self._by_last and self._by_last[0][0] < horizon:
            last, _, sid = heapq.heappop(self._by_last)
            st = self._stories.get(sid)
            if st is None or st.last_day != last:
                continue  # closed already, or joined since: a newer row stands for it
            del self._stories[sid]
            for aid in st.article_ids:
                if self.assigned.get(aid) == sid:
                    del self.assigned[aid]
            self._closed.append(_story(st))
            closed += 1
        self.stats["closed"] += closed
        self._closed_since_sweep += closed
        if self._closed_since_sweep > max(100, len(self._stories)):
            self._sweep_postings()
        return closed

    def take_closed(self) -> list[Story]:
        """The stories closed since the last call (their final form), to be saved."""
        out, self._closed = self._closed, []
        return out

    def _sweep_postings(self) -> None:
        """Drop closed stories from every posting (postings met again are cleaned as they
        are read; this catches the ones no later article looks up)."""
        live = self._stories
        self._postings = {k: kept for k, v in self._postings.items() if (kept := [s for s in v if s in live])}
        self._closed_since_sweep = 0

    # -- persistence -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the whole index."""
        return {
            "format": _FORMAT, "settings": _saved_settings(self.settings),
            "n": self.n, "df": dict(self.df), "adf": dict(self.adf),
            "stories": [s.as_list() for s in sorted(self._stories.values(), key=lambda s: s.seq)],
            "postings": {k: [s for s in v if s in self._stories] for k, v in self._postings.items()},
            "clock": self.clock, "seq": self._seq, "closed": self.stats["closed"] + self._closed_before,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, cfg: Config | None = None) -> StoryIndex:
        """Rebuild an index saved with :meth:`to_dict` (``cfg`` overrides its settings)."""
        if data.get("format") != _FORMAT:
            raise ConfigError(f"unknown story index format {data.get('format')!r}; "
                              "delete the saved index to rebuild it from the articles")
        settings = cfg.cluster if cfg is not None else replace(Config().cluster, **data["settings"])
        idx = cls(settings)
        idx.n = int(data["n"])
        idx.df, idx.adf = Counter(data["df"]), Counter(data["adf"])
        for row in data["stories"]:
            st = StoryState.from_list(row)
            idx._stories[st.id] = st
            for aid in st.article_ids:
                idx.assigned[aid] = st.id
            if st.last_day is not None:
                idx._by_last.append((st.last_day, st.seq, st.id))
        heapq.heapify(idx._by_last)
        idx._postings = {k: v for k, v in data.get("postings", {}).items() if v}
        idx._seq = int(data.get("seq", max((st.seq for st in idx._stories.values()), default=-1) + 1))
        idx._closed_before = int(data.get("closed", 0))
        days = [st.last_day for st in idx._stories.values() if st.last_day is not None]
        idx.clock = data.get("clock", max(days) if days else None)
        return idx
