"""The work behind ``veille watch`` and ``veille alerts``; ``cli.py`` only parses and prints."""
from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import VeilleError
from . import RoundSummary, Watcher, parse_duration
from .alerts import format_alert
from .feeds import load_feeds
from .fetch import FetchPolicy
from .rules import load_watchlist

if TYPE_CHECKING:
    from ..store.base import WatchStore

Echo = Callable[[str], None]


def _out(text: str) -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@contextmanager
def stop_on_signals(stop: threading.Event, echo: Echo) -> Iterator[None]:
    """The first Ctrl-C or SIGTERM sets ``stop`` (the round ends after the current article);
    a second one interrupts at once (the article in progress is rolled back)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        name = signal.Signals(signum).name
        echo(f"{name}: finishing the current article, then stopping (again to stop at once)")

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def watch_command(feeds: str | Path, *, store: WatchStore, cfg: Config | None = None,
                  once: bool = False, every: str | None = None, watchlist: str | Path | None = None,
                  alerts: str | Path | None = None, webhook: str | None = None,
                  allow_private: bool = False, echo: Echo | None = None, err: Echo = _err) -> int:
    """Runs ``veille watch``; returns the exit status (1 only when nothing could be processed)."""
    cfg = cfg or Config()
    echo = echo or _out
    specs = load_feeds(feeds)
    rules = load_watchlist(watchlist) if watchlist else []
    interval = None if once else parse_duration(every or "15m")
    policy = FetchPolicy.from_config(cfg.watch, allow_private=allow_private)
    stop = threading.Event()
    what = f"{len(specs)} feed(s)" + (f", {len(rules)} rule(s)" if rules else "")
    echo(f"watching {what}" + ("" if once else f", every {every or '15m'} (Ctrl-C to stop)"))

    def report(n: int, s: RoundSummary) -> None:
        echo(f"round {n}: {s.line()}")

    with stop_on_signals(stop, echo), Watcher(specs, store=store, cfg=cfg, rules=rules, alerts_file=alerts,
                                                webhook=webhook, policy=policy, echo=echo, stop=stop) as w:
        try:
            rounds = w.watch(every=interval, once=once, on_round=report)
        except KeyboardInterrupt:
            err("stopped; the article in progress was not stored and will be redone next time")
            return 130
    worked = any(s.articles_new or s.articles_known or s.feeds_unchanged or s.feeds - s.feeds_failed
                 for s in rounds)
    if rounds and not worked:
        err("no feed could be read; see the reasons above or with 'veille errors'")
        return 1
    return 0


def alerts_command(*, store: WatchStore, rule: str | None = None, limit: int | None = None,
                   as_json: bool = False, echo: Echo = print) -> int:
    """Prints the alerts raised so far (one line each, or JSON lines)."""
    state = store.watch_state(readonly=True)
    n = 0
    for alert in state.alerts(rule=rule, limit=limit):
        n += 1
        if as_json:
            echo(json.dumps(alert, ensure_ascii=False))
        else:
            echo(f"{alert.get('created', '')[:16].replace('T', ' ')}  {format_alert(alert)}")
    if n == 0 and rule is not None:
        known = state.rules()
        if known:
            raise VeilleError(f"no alert from a rule named '{rule}'; rules with alerts: {', '.join(known)}")
    if n == 0 and not as_json:
        echo("no alert raised yet (give 'veille watch' a --watchlist)")
    return 0


__all__ = ["VeilleError", "alerts_command", "stop_on_signals", "watch_command"]
