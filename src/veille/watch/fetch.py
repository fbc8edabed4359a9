"""A polite, safe HTTP fetcher for feeds and article pages.

Polite: a clear User-Agent, robots.txt respected (cached per host, ``Crawl-delay``
honoured), a delay between two requests to the same host, conditional GET with
ETag/Last-Modified, retries with backoff on 429/5xx that honour ``Retry-After`` (capped).

Safe: only http and https; the host is resolved and refused when any of its addresses is
private, loopback, link-local or otherwise not global (unless ``allow_private``); the
connection goes to the address that was checked (no second DNS answer can swap it);
every redirect hop is checked the same way; redirects are limited and loops detected;
answers are streamed and cut at ``max_bytes``; a total deadline bounds slow answers.

``Fetcher.get`` never raises for network trouble: it returns a :class:`FetchResult`
whose ``error`` says what went wrong, in words a user can act on.
"""
from __future__ import annotations

import email.utils
import ipaddress
import logging
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

import httpx

from .. import __version__
from ..config import Config, WatchSettings

log = logging.getLogger(__name__)

USER_AGENT = f"veille/{__version__} (+https://github.com/veille-news/veille)"
"""The user agent when ``[watch] user_agent`` is empty (the default): this package's version."""
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})


class FetchRefused(Exception):
    """A URL that the fetcher will not request (scheme, address, robots.txt), or whose host
    cannot be resolved (``transient``: it may resolve later)."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How the fetcher behaves: the ``[watch]`` settings it reads (see ``defaults.toml``),
    and whether loopback and private addresses may be reached."""

    user_agent: str
    timeout: float  # seconds for connect and for each read
    deadline: float  # seconds for a whole answer, however slowly it trickles in
    max_bytes: int  # answers longer than this are cut and refused
    max_redirects: int
    retries: int  # extra attempts on 429/5xx and network errors
    backoff: float  # seconds before the first retry, doubled each time
    max_retry_after: float  # a longer Retry-After is capped to this
    host_delay: float  # seconds between two requests to the same host
    max_crawl_delay: float  # robots.txt Crawl-delay is honoured up to this
    respect_robots: bool
    robots_ttl: float  # seconds a host's robots.txt is kept before it is read again
    allow_private: bool = False

    @classmethod
    def from_config(cls, watch: WatchSettings | None = None, **overrides: Any) -> FetchPolicy:
        """A policy from the ``[watch]`` settings (the defaults when None); ``overrides``
        that are not None replace them."""
        settings = watch if watch is not None else Config().watch
        values = {k: getattr(settings, k) for k in cls.__dataclass_fields__ if hasattr(settings, k)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["user_agent"] = values.get("user_agent") or USER_AGENT
        return cls(**values)


@dataclass(slots=True)
class FetchResult:
    """What one GET gave. ``error`` is None on success (2xx or 304)."""

    url: str
    final_url: str
    status: int | None = None
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None
    transient: bool = False  # the error may go away on a later try (timeouts, 5xx, 429)
    redirects: list[str] = field(default_factory=list)
    location: str | None = None  # the Location header of a redirect
    retry_after: float | None = None  # seconds asked by Retry-After on 429/503
    settled: bool = False  # transient, but not worth retrying within this fetch (DNS)

    @property
    def ok(self) -> bool:
        return self.error is None


def _not_global(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast
            or addr.is_reserved or addr.is_unspecified or not addr.is_global)


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to for ``host``; raises FetchRefused when it is not allowed.

    Every address the name resolves to is checked: a name that resolves to one public and
    one private address is refused.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchRefused(f"cannot resolve host '{host}' ({e})", transient=True) from e
    addrs = []
    for info in infos:
        text = info[4][0].split("%", 1)[0]
        try:
            addrs.append(ipaddress.ip_address(text))
        except ValueError:
            continue
    if not addrs:
        raise FetchRefused(f"host '{host}' has no usable address")
    if not allow_private:
        bad = [a for a in addrs if _not_global(a)]
        if bad:
            raise FetchRefused(f"host '{host}' resolves to the non-public address {bad[0]}; "
                               "private, loopback and link-local addresses are refused "
                               "(use --allow-private to reach them)")
    return str(addrs[0])


def check_url(url: str) -> httpx.URL:
    """The parsed URL when its scheme and host are acceptable, else FetchRefused."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as e:
        raise FetchRefused(f"not a valid URL ({e})") from e
    if parsed.scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https URLs are fetched, not '{parsed.scheme or 'none'}:'")
    if not parsed.host:
        raise FetchRefused("URL without a host")
    if parsed.userinfo:
        raise FetchRefused("URLs with a user name or password are refused")
    return parsed


def _retry_after(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


class Fetcher:
    """Fetches URLs under a :class:`FetchPolicy`. Use as a context manager, or call close()."""

    def __init__(self, policy: FetchPolicy | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 stop: threading.Event | None = None):
        self.policy = policy or FetchPolicy.from_config()
        self._sleep = sleep
        self._stop = stop
        self._client = httpx.Client(
            follow_redirects=False, trust_env=False, verify=True,
            timeout=httpx.Timeout(self.policy.timeout),
            headers={"User-Agent": self.policy.user_agent},
            # Connections go to checked addresses, and one address may serve several hosts:
            # no connection is reused, so a TLS session is never shared between host names.
            limits=httpx.Limits(max_keepalive_connections=0),
        )
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | str]] = {}
        self._last: dict[str, float] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- public ---------------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str | None = None) -> FetchResult:
        """GET ``url`` with every check; conditional when ``etag``/``last_modified`` are given."""
        result = FetchResult(url=url, final_url=url)
        headers = {}
        if accept:
            headers["Accept"] = accept
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        seen = {url}
        for _hop in range(self.policy.max_redirects + 1):
            try:
                parsed = check_url(current)
                if self.policy.respect_robots:
                    self._check_robots(parsed)
            except FetchRefused as e:
                result.error = str(e) if current == url else f"redirected to {current}: {e}"
                return result
            self._fill(result, parsed, headers)
            result.final_url = current
            if result.error and current != url:
                result.error = f"redirected to {current}: {result.error}"
            if result.error or result.status not in REDIRECT_STATUS:
                return result
            location = result.location
            if not location:
                result.error = f"HTTP {result.status} redirect without a Location header"
                return result
            nxt = str(parsed.join(location))
            result.redirects.append(nxt)
            if nxt in seen:
                result.error = f"redirect loop ({' -> '.join([url, *result.redirects])})"
                return result
            seen.add(nxt)
            current = nxt
            # Conditional headers belong to the first URL only.
            headers.pop("If-None-Match", None)
            headers.pop("If-Modified-Since", None)
        result.error = f"more than {self.policy.max_redirects} redirects (last: {current})"
        return result

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets veille fetch ``url`` (True when robots are not respected)."""
        try:
            self._check_robots(check_url(url))
        except FetchRefused:
            return False
        return True

    # -- internals ------------------------------------------------------------------------
    def _stopped(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    def _wait(self, seconds: float) -> None:
        if seconds <= 0:
            return
        if self._stop is not None:
            self._stop.wait(seconds)
        else:
            self._sleep(seconds)

    def _pace(self, host_key: str, delay: float) -> None:
        last = self._last.get(host_key)
        if last is not None:
            self._wait(last + delay - time.monotonic())
        self._last[host_key] = time.monotonic()

    def _host_delay(self, parsed: httpx.URL) -> float:
        delay = self.policy.host_delay
        robots = self._robots.get(_origin(parsed), (0.0, None))[1]
        if isinstance(robots, urllib.robotparser.RobotFileParser):
            crawl = robots.crawl_delay(self.policy.user_agent)
            if crawl:
                delay = max(delay, min(float(crawl), self.policy.max_crawl_delay))
        return delay

    def _fill(self, result: FetchResult, parsed: httpx.URL, headers: dict[str, str],
              *, retries: int | None = None, max_bytes: int | None = None) -> None:
        """One URL (no redirect following), with retries; fills ``result``."""
        attempts = 1 + (self.policy.retries if retries is None else retries)
        wait = self.policy.backoff
        for attempt in range(attempts):
            result.error, result.transient, result.status = None, False, None
            result.location, result.retry_after, result.settled = None, None, False
            self._once(result, parsed, headers, max_bytes or self.policy.max_bytes)
            retry_in: float | None = None
            if result.error and result.transient:
                retry_in = wait
            if not result.transient or result.settled or attempt == attempts - 1 or self._stopped():
                return
            if result.retry_after is not None:
                retry_in = min(result.retry_after, self.policy.max_retry_after)
            log.info("retrying %s in %.1fs (%s)", parsed, retry_in or 0, result.error)
            self._wait(retry_in or 0)
            wait *= 2

    def _once(self, result: FetchResult, parsed: httpx.URL, headers: dict[str, str], max_bytes: int) -> None:
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            address = resolve(parsed.host, port, allow_private=self.policy.allow_private)
        except FetchRefused as e:
            result.error, result.transient, result.settled = str(e), e.transient, True
            return
        self._pace(_origin(parsed), self._host_delay(parsed))
        # Connect to the checked address; keep the real name for Host and TLS.
        pinned = parsed.copy_with(host=address)
        req_headers = dict(headers)
        req_headers["Host"] = parsed.netloc.decode("ascii")
        started = time.monotonic()
        watchdog = _Watchdog(self.policy.deadline)
        extensions: dict[str, Any] = {"trace": watchdog.trace}
        if parsed.scheme == "https":
            extensions["sni_hostname"] = parsed.host
        try:
            try:
                request = self._client.build_request("GET", pinned, headers=req_headers, extensions=extensions)
                response = self._client.send(request, stream=True)
            except httpx.TimeoutException:
                result.error, result.transient = f"timed out after {self.policy.timeout:g}s", True
                return
            except httpx.HTTPError as e:
                result.error, result.transient = f"network error ({type(e).__name__}: {e})", True
                return
            finally:
                if watchdog.fired:
                    result.error, result.transient = self._too_slow(), True
            if result.error:
                response.close()
                return
            try:
                self._read(result, response, started, max_bytes)
            finally:
                response.close()
                if watchdog.fired:  # the connection was cut: what was read is not the whole answer
                    result.error, result.transient = self._too_slow(), True
                    result.content = b""
        finally:
            watchdog.cancel()

    def _too_slow(self) -> str:
        return f"answer too slow (not complete after {self.policy.deadline:g}s)"

    def _read(self, result: FetchResult, response: httpx.Response, started: float, max_bytes: int) -> None:
        status = response.status_code
        result.status = status
        result.content_type = response.headers.get("Content-Type", "")
        if status in REDIRECT_STATUS:
            result.location = response.headers.get("Location")
            return
        if status == 304:
            result.not_modified = True
            result.etag = response.headers.get("ETag") or result.etag
            result.last_modified = response.headers.get("Last-Modified") or result.last_modified
            return
        if status in RETRY_STATUS:
            result.error, result.transient = f"HTTP {status} {response.reason_phrase}".strip(), True
            result.retry_after = _retry_after(response.headers.get("Retry-After"), time.time())
            return
        if not 200 <= status < 300:
            result.error = f"HTTP {status} {response.reason_phrase}".strip()
            return
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            result.error = f"answer too large ({int(declared):,} bytes announced; the limit is {max_bytes:,})"
            return
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    result.error = f"answer too large (more than {max_bytes:,} bytes); download stopped"
                    return
                if time.monotonic() - started > self.policy.deadline:
                    result.error, result.transient = self._too_slow(), True
                    return
                chunks.append(chunk)
        except httpx.TimeoutException:
            result.error, result.transient = f"timed out after {self.policy.timeout:g}s while reading", True
            return
        except httpx.HTTPError as e:
            result.error, result.transient = f"network error while reading ({type(e).__name__}: {e})", True
            return
        result.content = b"".join(chunks)
        result.etag = response.headers.get("ETag")
        result.last_modified = response.headers.get("Last-Modified")

    def _check_robots(self, parsed: httpx.URL) -> None:
        origin = _origin(parsed)
        stamp, robots = self._robots.get(origin, (0.0, None))
        if robots is None or time.monotonic() - stamp > self.policy.robots_ttl:
            robots = self._load_robots(parsed)
            self._robots[origin] = (time.monotonic(), robots)
        if isinstance(robots, str):
            raise FetchRefused(robots)
        if not robots.can_fetch(self.policy.user_agent, str(parsed)):
            raise FetchRefused(f"robots.txt of {origin} disallows this URL for veille")

    def _load_robots(self, parsed: httpx.URL) -> urllib.robotparser.RobotFileParser | str:
        """The host's robots.txt, or a reason (str) why no page of the host may be fetched now."""
        origin = _origin(parsed)
        robots = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        url = check_url(origin + "/robots.txt")
        result = FetchResult(url=str(url), final_url=str(url))
        # Follow a few redirects (http -> https is common), each hop checked.
        for _ in range(self.policy.max_redirects + 1):
            self._fill(result, url, {}, retries=1, max_bytes=500_000)
            if result.status in REDIRECT_STATUS and result.location:
                try:
                    url = check_url(str(url.join(result.location)))
                except FetchRefused:
                    break
                continue
            break
        status = result.status
        if status is not None and 200 <= status < 300:
            robots.parse(result.content.decode("utf-8", "replace").splitlines())
        elif status in (401, 403):
            robots.disallow_all = True
        elif status is not None and status >= 500:
            return (f"robots.txt of {origin} answered HTTP {status}; the host is skipped until "
                    "it answers (retried next round)")
        else:
            # 404 and other 4xx, unreachable or refused: no rules, everything allowed.
            robots.allow_all = True
        return robots

    def forget_robots(self) -> None:
        """Drop every cached robots.txt file (they are otherwise kept ``robots_ttl`` seconds)."""
        self._robots.clear()


class _Watchdog:
    """Cuts a request's connection once ``seconds`` have passed, whatever it is waiting for
    (response headers trickling in, a body read between two slow chunks): the deadline
    covers the whole answer, not each read. The socket comes from httpcore's trace hook."""

    def __init__(self, seconds: float):
        self.fired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, name: str, info: dict[str, Any]) -> None:
        if name != "connection.connect_tcp.complete":
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        with self._lock:
            self._sock = sock
            if self.fired:
                self._shut()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        """Stop the clock (the answer is read); once this returns, ``fired`` no longer changes."""
        self._timer.cancel()
        with self._lock:
            self._sock = None


def _origin(parsed: httpx.URL) -> str:
    default = {"http": 80, "https": 443}[parsed.scheme]
    port = f":{parsed.port}" if parsed.port and parsed.port != default else ""
    host = f"[{parsed.host}]" if ":" in parsed.host else parsed.host  # an IPv6 address
    return f"{parsed.scheme}://{host}{port}"
