"""Alerts: one per new watchlist match, kept in the store and delivered to the sinks.

An alert is a plain JSON object (one line of the alerts file, the body of the webhook
POST)::

    {"id": "…", "rule": "accusations contre Huawei", "level": "event",
     "created": "2026-11-23T07:30:00+00:00", "article": "article id", "story": "story id",
     "title": "…", "url": "https://…", "source": "https://…", "outlet": "…",
     "published": "2026-11-22", "evidence": "the sentence (or quoted words)",
     "span": [120, 245], "event": {…} | null, "quote": {…} | null}

``span`` is into the article's clean text, like every span of the export.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from ..errors import ConfigError
from ..records import AnnotatedArticle
from .fetch import USER_AGENT
from .rules import Match

log = logging.getLogger(__name__)


def make_alert(match: Match, article: AnnotatedArticle, *, created: str) -> dict[str, Any]:
    """The alert for one match in ``article``."""
    return {
        "id": match.key, "rule": match.rule, "level": match.level, "created": created,
        "article": article.id, "story": article.story, "title": article.title, "url": article.url,
        "source": article.source, "outlet": article.outlet, "published": article.published,
        "evidence": match.evidence, "span": list(match.span) if match.span else None,
        "event": match.event, "quote": match.quote,
    }


def format_alert(alert: dict[str, Any]) -> str:
    """One line for the terminal."""
    what = ""
    if alert.get("event"):
        ev = alert["event"]
        what = f" {ev.get('actor') or '?'} {ev.get('type')} {ev.get('recipient') or '?'} ({ev.get('modality')})"
    elif alert.get("quote"):
        what = f" quote by {alert['quote'].get('speaker_name') or alert['quote'].get('speaker') or '?'}"
    where = alert.get("url") or alert.get("source") or alert.get("article")
    evidence = " ".join((alert.get("evidence") or "").split())
    if len(evidence) > 200:
        evidence = evidence[:199] + "…"
    return f"[{alert['rule']}]{what} — {evidence} <{where}>"


class FileSink:
    """Appends each alert as one JSON line to a file (created with its folders if needed)."""

    name = "file"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8"):
                pass
        except OSError as e:
            raise ConfigError(f"{self.path}: cannot write the alerts file ({e.strerror}); "
                              "choose another path with --alerts") from e

    def send(self, alert: dict[str, Any]) -> str | None:
        try:
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(alert, ensure_ascii=False) + "\n")
                fh.flush()
        except OSError as e:
            return f"cannot append to {self.path} ({e.strerror})"
        return None


class WebhookSink:
    """POSTs each alert as JSON to a URL chosen by the user; any 2xx answer is a delivery.

    The webhook is the user's own endpoint, so it may be on a private network; it must be
    http or https, and each POST has a short timeout. Failed deliveries are retried next round.
    """

    name = "webhook"

    def __init__(self, url: str, *, timeout: float = 10.0, user_agent: str = USER_AGENT,
                 transport: httpx.BaseTransport | None = None):
        if not url.lower().startswith(("http://", "https://")):
            raise ConfigError(f"--webhook must be an http:// or https:// URL, not '{url}'")
        self.url = url
        self._client = httpx.Client(timeout=timeout, trust_env=False, follow_redirects=False,
                                    headers={"User-Agent": user_agent}, transport=transport)

    def send(self, alert: dict[str, Any]) -> str | None:
        try:
            response = self._client.post(self.url, json=alert)
        except httpx.HTTPError as e:
            return f"webhook {self.url} unreachable ({type(e).__name__}: {e})"
        if not 200 <= response.status_code < 300:
            return f"webhook {self.url} answered HTTP {response.status_code}"
        return None

    def close(self) -> None:
        self._client.close()


class PrintSink:
    """Calls ``echo`` with one line per alert (the terminal)."""

    name = "print"

    def __init__(self, echo: Callable[[str], None]):
        self.echo = echo

    def send(self, alert: dict[str, Any]) -> str | None:
        self.echo(format_alert(alert))
        return None
