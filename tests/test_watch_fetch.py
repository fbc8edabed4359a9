"""The polite safe fetcher, against a local HTTP server on 127.0.0.1 (nothing beyond loopback)."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from veille.watch.fetch import Fetcher, FetchPolicy, FetchRefused, check_url, resolve

Route = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """A tiny web site on 127.0.0.1: ``site.routes[path] = handler``; requests are logged."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.log.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                if route is None:
                    send(self, 404, b"introuvable", "text/plain")
                    return
                route(self)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                site.log.append((self.path, {"body": body.decode("utf-8")}))
                send(self, 204, b"", "text/plain")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
         headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    if body:
        h.wfile.write(body)


def static(body: bytes | str, ctype: str = "text/html; charset=utf-8", status: int = 200,
           headers: dict[str, str] | None = None) -> Route:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda h: send(h, status, data, ctype, headers)


def with_etag(body: str, etag: str, ctype: str = "application/rss+xml; charset=utf-8") -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == etag:
            send(h, 304, b"", ctype, {"ETag": etag})
        else:
            send(h, 200, body.encode("utf-8"), ctype, {"ETag": etag})
    return route


def slow(seconds: float) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        try:
            send(h, 200, b"<p>trop tard</p>")
        except OSError:
            pass
    return route


def huge(total: int) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")  # no length announced: the cap must cut the stream
        h.end_headers()
        chunk = b"<p>" + b"bla " * 2000 + b"</p>\n"
        sent = 0
        try:
            while sent < total:
                h.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass
        h.close_connection = True
    return route


def redirect(to: str, status: int = 302) -> Route:
    return lambda h: send(h, status, b"", "text/plain", {"Location": to})


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def policy(**kw) -> FetchPolicy:
    base = {"allow_private": True, "host_delay": 0.0, "backoff": 0.01, "timeout": 1.0, "deadline": 3.0,
            "retries": 1, "max_retry_after": 0.05}
    base.update(kw)
    return FetchPolicy.from_config(**base)


PAGE = "<html><body><p>Le ministre a présenté mardi son plan pour les réseaux.</p></body></html>"


def test_plain_get_sends_user_agent(site):
    site.routes["/a"] = static(PAGE, headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT"})
    with Fetcher(policy()) as f:
        r = f.get(site.url("/a"))
    assert r.ok and r.status == 200
    assert "présenté" in r.content.decode("utf-8")
    assert r.etag == '"v1"' and r.last_modified.startswith("Mon")
    ua = next(h for p, h in site.log if p == "/a")["User-Agent"]
    assert ua.startswith("veille/") and "+http" in ua


def test_conditional_get_gives_not_modified(site):
    site.routes["/feed"] = with_etag("<rss version='2.0'><channel></channel></rss>", '"abc"')
    with Fetcher(policy()) as f:
        first = f.get(site.url("/feed"))
        second = f.get(site.url("/feed"), etag=first.etag)
    assert first.status == 200 and not first.not_modified
    assert second.ok and second.not_modified and second.status == 304 and second.content == b""


def test_private_address_refused_without_flag(site):
    site.routes["/a"] = static(PAGE)
    with Fetcher(policy(allow_private=False)) as f:
        r = f.get(site.url("/a"))
    assert not r.ok and "non-public address 127.0.0.1" in r.error and "--allow-private" in r.error
    assert site.log == []  # not even robots.txt was asked


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "http://user:pw@127.0.0.1/"])
def test_only_plain_http_urls(url):
    with pytest.raises(FetchRefused):
        check_url(url)


def test_resolve_refuses_every_kind_of_private_address():
    for host in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "0.0.0.0", "100.64.0.1"):
        with pytest.raises(FetchRefused):
            resolve(host, 80, allow_private=False)
    assert resolve("127.0.0.1", 80, allow_private=True) == "127.0.0.1"


def test_redirect_to_private_checked_at_each_hop(site, monkeypatch):
    # Pretend 127.0.0.1 is a public server; its redirect to a private address must be refused.
    from veille.watch import fetch

    real = fetch.resolve

    def resolve_as_public(host, port, *, allow_private):
        return real(host, port, allow_private=allow_private or host == "127.0.0.1")
    monkeypatch.setattr(fetch, "resolve", resolve_as_public)
    site.routes["/hop"] = redirect("http://10.0.0.1/interne")
    with Fetcher(policy(allow_private=False)) as f:
        r = f.get(site.url("/hop"))
    assert not r.ok and "redirected to http://10.0.0.1/interne" in r.error and "10.0.0.1" in r.error
    assert site.hits("/hop") == 1


def test_redirect_followed_and_loop_detected(site):
    site.routes["/old"] = redirect("/new", 301)
    site.routes["/new"] = static(PAGE)
    site.routes["/loop1"] = redirect("/loop2")
    site.routes["/loop2"] = redirect("/loop1")
    site.routes["/r0"] = redirect("/r1")
    site.routes["/r1"] = redirect("/r2")
    site.routes["/r2"] = redirect("/r3")
    with Fetcher(policy(max_redirects=2)) as f:
        moved = f.get(site.url("/old"))
        loop = f.get(site.url("/loop1"))
        chain = f.get(site.url("/r0"))
    assert moved.ok and moved.final_url == site.url("/new")
    assert not loop.ok and "redirect loop" in loop.error
    assert not chain.ok and "more than 2 redirects" in chain.error


def test_robots_disallow_honoured_and_cached(site):
    site.routes["/robots.txt"] = static("User-agent: *\nDisallow: /prive/\n", "text/plain")
    site.routes["/prive/page"] = static(PAGE)
    site.routes["/public"] = static(PAGE)
    with Fetcher(policy()) as f:
        blocked = f.get(site.url("/prive/page"))
        fine = f.get(site.url("/public"))
    assert not blocked.ok and "robots.txt" in blocked.error
    assert fine.ok
    assert site.hits("/prive/page") == 0 and site.hits("/robots.txt") == 1


def test_timeout_is_an_error_not_a_crash(site):
    site.routes["/slow"] = slow(2.0)
    with Fetcher(policy(timeout=0.3, retries=0)) as f:
        r = f.get(site.url("/slow"))
    assert not r.ok and r.transient and "timed out" in r.error


def test_size_cap_stops_the_download(site):
    site.routes["/huge"] = huge(5_000_000)
    site.routes["/announced"] = static(b"x" * 5000, "text/html")
    with Fetcher(policy(max_bytes=100_000)) as f:
        r = f.get(site.url("/huge"))
        announced = f.get(site.url("/announced"))
    assert f.policy.max_bytes == 100_000
    assert not r.ok and "too large" in r.error and len(r.content) == 0
    assert announced.ok  # under the cap


def test_retry_on_503_honours_retry_after(site):
    calls = []

    def flaky(h):
        calls.append(1)
        if len(calls) == 1:
            send(h, 503, "occupé".encode(), "text/plain", {"Retry-After": "1"})
        else:
            send(h, 200, PAGE.encode("utf-8"))
    site.routes["/flaky"] = flaky
    waits: list[float] = []
    with Fetcher(policy(retries=2), sleep=waits.append) as f:
        r = f.get(site.url("/flaky"))
    assert r.ok and len(calls) == 2
    assert waits == [0.05]  # Retry-After: 1 capped at max_retry_after


def test_404_and_500_are_errors(site):
    site.routes["/boom"] = static("erreur", "text/plain", status=500)
    with Fetcher(policy(retries=1)) as f:
        missing = f.get(site.url("/absent"))
        boom = f.get(site.url("/boom"))
    assert missing.error == "HTTP 404 Not Found" and not missing.transient
    assert boom.error.startswith("HTTP 500") and boom.transient
    assert site.hits("/boom") == 2  # one retry


def test_per_host_delay(site):
    site.routes["/a"] = static(PAGE)
    waits: list[float] = []
    with Fetcher(policy(host_delay=5.0), sleep=waits.append) as f:
        f.get(site.url("/a"))
        f.get(site.url("/a"))
    assert waits and all(0 < w <= 5.0 for w in waits)


def test_trickling_answer_cut_at_deadline(site):
    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        try:
            for _ in range(40):
                h.wfile.write(b"<p>goutte</p>\n")
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass
        h.close_connection = True
    site.routes["/goutte"] = trickle
    with Fetcher(policy(timeout=1.0, deadline=0.5, retries=0)) as f:
        r = f.get(site.url("/goutte"))
    assert not r.ok and "too slow" in r.error and r.transient


def test_crawl_delay_from_robots(site):
    site.routes["/robots.txt"] = static("User-agent: *\nCrawl-delay: 4\n", "text/plain")
    site.routes["/a"] = static(PAGE)
    waits: list[float] = []
    with Fetcher(policy(host_delay=0.0, max_crawl_delay=3.0), sleep=waits.append) as f:
        f.get(site.url("/a"))
        f.get(site.url("/a"))
    assert waits and max(waits) > 2.5 and max(waits) <= 3.0  # capped at max_crawl_delay


def test_robots_5xx_skips_the_host_for_now(site):
    site.routes["/robots.txt"] = static("panne", "text/plain", status=503)
    site.routes["/a"] = static(PAGE)
    with Fetcher(policy(retries=0)) as f:
        r = f.get(site.url("/a"))
    assert not r.ok and "robots.txt" in r.error and "HTTP 503" in r.error
    assert site.hits("/a") == 0


def test_unresolvable_host_is_temporary_and_not_retried_at_once(monkeypatch):
    import socket

    def no_dns(*args, **kw):  # no DNS query leaves the machine
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    waits: list[float] = []
    with Fetcher(policy(retries=3), sleep=waits.append) as f:
        r = f.get("http://hote-inexistant.invalid/flux.xml")
    assert not r.ok and "cannot resolve host" in r.error and r.transient and waits == []


def test_deadline_covers_trickling_response_headers(site):
    def headers_forever(h):
        try:
            h.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for n in range(100):  # a header line every 0.1 s: no single read ever times out
                h.wfile.write(f"X-Goutte-{n}: oui\r\n".encode())
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass
        h.close_connection = True
    site.routes["/entetes"] = headers_forever
    started = time.monotonic()
    with Fetcher(policy(timeout=1.0, deadline=0.6, retries=0)) as f:
        r = f.get(site.url("/entetes"))
    assert time.monotonic() - started < 3.0
    assert not r.ok and "too slow" in r.error and r.transient


def test_deadline_cuts_a_body_between_two_slow_chunks(site):
    def gaps(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        try:
            for _ in range(10):
                h.wfile.write(b"<p>goutte</p>\n")
                h.wfile.flush()
                time.sleep(2.5)  # under the read timeout, well over the deadline
        except OSError:
            pass
        h.close_connection = True
    site.routes["/lent"] = gaps
    started = time.monotonic()
    with Fetcher(policy(timeout=4.0, deadline=0.5, retries=0)) as f:
        r = f.get(site.url("/lent"))
    assert time.monotonic() - started < 2.0  # cut at the deadline, not at the next chunk
    assert not r.ok and "too slow" in r.error and r.content == b""


def test_ipv6_literal_url():
    import socket
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<rss version='2.0'><channel><title>v6</title></channel></rss>"
            self.send_response(200 if self.path == "/flux.xml" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    try:
        server = Server(("::1", 0), Handler)
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        with Fetcher(policy(respect_robots=True)) as f:  # robots.txt is looked up at [::1] too
            r = f.get(f"http://[::1]:{server.server_address[1]}/flux.xml")
        assert r.ok and r.content.startswith(b"<rss"), r.error
    finally:
        server.shutdown()
        server.server_close()


def test_user_agent_is_the_package_version_unless_set():
    from veille import __version__
    from veille.config import Config
    from veille.watch.fetch import USER_AGENT, FetchPolicy

    assert FetchPolicy.from_config().user_agent == USER_AGENT == (
        f"veille/{__version__} (+https://github.com/veille-news/veille)")
    mine = Config().with_overrides(watch={"user_agent": "moi/2"}).watch
    assert FetchPolicy.from_config(mine).user_agent == "moi/2"
