"""veille: news intelligence for French news.

Turns articles (text, HTML, WARC, RSS/Atom, JSONL) into stories, structured events
(who did what to whom, when, according to whom) and quotes with their speakers, each
with the evidence span in the clean text.
"""
import logging

from .config import Config, load_config
from .records import (
    Actor,
    AnnotatedArticle,
    Article,
    CitedSource,
    Comment,
    Event,
    Failure,
    Quote,
    RawDocument,
    Story,
)

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Actor",
    "AnnotatedArticle",
    "Article",
    "CitedSource",
    "Comment",
    "Config",
    "Event",
    "Failure",
    "Quote",
    "RawDocument",
    "Story",
    "__version__",
    "load_config",
]
