"""Polite, bounded, fault-tolerant HTTP with httpx.

One :class:`Fetcher` per run holds one ``httpx.AsyncClient`` (connection pooling), a
global concurrency limit and, per host, a concurrency limit and a minimum delay between
request starts. Every request has connect/read timeouts and a total time for one attempt;
network errors and 5xx are retried with exponential backoff and jitter; 429/503 wait for
``Retry-After`` (up to a cap); redirects are followed by hand, at most ``max_redirects``,
with loop detection; bodies are streamed, unpacked within ``max_bytes`` (a zip bomb never
holds more: :mod:`~digest.scraper.inflate`) and abandoned past it. Above all of these, a
URL has one ``deadline``: its clock starts with its first request (not while it waits for
its host's turn) and runs through every attempt, retry wait and redirect, so a server that
drips a body forever, or answers slowly on every retry, ends as an error at
the deadline. Nothing here raises for a bad link: every outcome is a :class:`FetchResult`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import certifi
import httpx

from digest.scraper.inflate import BadEncoding, Inflater, OverCap
from digest.text.urls import join_url, url_fault

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one run; ``[fetch]`` in site.toml sets them (see the README)."""

    concurrency: int = 32
    per_host: int = 2
    host_delay: float = 0.1  # seconds between request starts to one host
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0  # one attempt, body included
    retries: int = 2
    backoff: float = 0.5  # first retry waits about this long, then doubles
    max_retry_after: float = 60.0  # a longer Retry-After gives up instead of waiting
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    deadline: float = 60.0  # seconds for one URL in all (0: none); see the module docstring
    user_agent: str = "digest/0.1"
    public_only: bool = False


@dataclass(frozen=True)
class FetchResult:
    """What happened to one URL.

    ``outcome``: ok, not_modified, redirect (permanent, see ``moved_to``), gone (404/410),
    or error (``error`` says why, with the URL).
    """

    url: str
    final_url: str
    outcome: str
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None
    error: str | None = None
    attempts: int = 1


@dataclass
class _Host:
    """Per-host politeness state (lives only inside one Fetcher)."""

    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    client: httpx.AsyncClient | None = None


@dataclass
class _Clock:
    """One URL's deadline and what it was doing, for the reason given when time runs out
    (lives only inside one :meth:`Fetcher.fetch` call)."""

    seconds: float
    url: str
    timeout: asyncio.Timeout | None = None
    attempts: int = 0
    doing: str = "waiting for an answer"

    def start(self) -> None:
        """Start the clock at the URL's first request; later calls change nothing."""
        self.attempts += 1
        self.doing = "waiting for an answer"
        if self.timeout is not None and self.timeout.when() is None and self.seconds > 0:
            self.timeout.reschedule(asyncio.get_running_loop().time() + self.seconds)

    def left(self) -> float:
        """Seconds before the deadline (infinite before the start or without one)."""
        when = self.timeout.when() if self.timeout is not None else None
        return float("inf") if when is None else when - asyncio.get_running_loop().time()

    def reason(self) -> str:
        tries = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        return (
            f"{self.url}: no complete answer within the {self.seconds:g}-second deadline"
            f" ({tries}; {self.doing})"
        )


class FetchError(Exception):
    """A failed attempt, with a reason the report can show."""

    def __init__(self, reason: str, *, retry: bool = False, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.retry, self.wait = reason, retry, wait


class Fetcher:
    """Fetch many URLs politely. Use ``async with Fetcher(policy) as f: await f.fetch(u)``."""

    def __init__(self, policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None = None):
        self.policy = policy
        self._global = asyncio.Semaphore(policy.concurrency)
        self._hosts: dict[str, _Host] = {}
        self._transport = transport
        # One TLS context for every host: building one loads the CA bundle (~25 ms).
        self._tls = ssl.create_default_context(cafile=certifi.where())

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for host in self._hosts.values():
            if host.client is not None:
                await host.client.aclose()

    def _client_for(self, host: _Host) -> httpx.AsyncClient:
        """Each host gets its own small connection pool: connections are reused per host,
        and httpcore's per-request scan of the pool stays as short as ``per_host``."""
        if host.client is None:
            policy = self.policy
            host.client = httpx.AsyncClient(
                timeout=httpx.Timeout(
                    connect=policy.connect_timeout,
                    read=policy.read_timeout,
                    write=policy.read_timeout,
                    pool=None,
                ),
                limits=httpx.Limits(
                    max_connections=policy.per_host, max_keepalive_connections=policy.per_host
                ),
                headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
                follow_redirects=False,
                event_hooks={"response": [_read_location]},
                verify=self._tls,
                transport=self._transport,
            )
        return host.client

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch ``url`` (conditionally when validators are given); never raises."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        clock = _Clock(self.policy.deadline, url)
        try:
            async with asyncio.timeout(None) as clock.timeout:
                return await self._follow(url, headers, clock)
        except TimeoutError:
            return FetchResult(
                url, clock.url, "error", error=clock.reason(), attempts=clock.attempts
            )

    async def _follow(self, url: str, headers: Mapping[str, str], clock: _Clock) -> FetchResult:
        """Request ``url``, following redirects by hand; the outcome, or FetchError's."""
        seen: list[str] = []
        current, moved_to, permanent = url, None, True
        attempts = 0
        while True:
            if current in seen:
                chain = " -> ".join([*seen, current])
                return FetchResult(url, current, "error", error=f"redirect loop: {chain}")
            if len(seen) > self.policy.max_redirects:
                return FetchResult(
                    url,
                    current,
                    "error",
                    error=f"more than {self.policy.max_redirects} redirects from {url}",
                )
            seen.append(current)
            clock.url = current
            try:
                response, body, tries = await self._with_retries(current, headers, clock)
            except FetchError as exc:
                return FetchResult(
                    url, current, "error", error=f"{current}: {exc.reason}", attempts=attempts + 1
                )
            attempts += tries
            if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                permanent = permanent and response.status_code in (301, 308)
                target, why = _redirect(current, response.headers["location"])
                if why:  # a port past 65535 ended the whole run
                    why = f"{current}: {why}"
                    return FetchResult(url, current, "error", error=why, attempts=attempts)
                current = target
                moved_to = current if permanent else None
                continue
            break
        status = response.status_code
        result = FetchResult(
            url,
            current,
            "ok",
            status=status,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            attempts=attempts,
        )
        if status == 304:
            return replace(result, outcome="not_modified")
        if status in (404, 410):
            return replace(result, outcome="gone")
        if status >= 400:
            return replace(result, outcome="error", error=f"{current}: HTTP {status}")
        if status >= 300:  # a redirect without a Location: nowhere to go, and no page
            why = f"{current}: HTTP {status} without a Location to go to"
            return replace(result, outcome="error", error=why)
        return replace(
            result, outcome="redirect" if moved_to else "ok", body=body, moved_to=moved_to
        )

    async def _with_retries(
        self, url: str, headers: Mapping[str, str], clock: _Clock
    ) -> tuple[httpx.Response, bytes, int]:
        """One hop, retried on network errors, 5xx and 429 as the module docstring says; a
        wait that would end past the deadline is not begun: the last outcome stands."""
        policy = self.policy
        last: str | None  # why the failed attempt failed, None when it had an answer
        for attempt in range(policy.retries + 1):
            try:
                response, body = await self._attempt(url, headers, clock)
            except FetchError as exc:
                if not exc.retry or attempt == policy.retries:
                    raise
                wait, last = exc.wait, exc.reason
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response, body, attempt + 1
                wait, last = retry_after(response.headers.get("retry-after")), None
                if wait is not None and wait > min(policy.max_retry_after, clock.left()):
                    limit = (
                        f"longer than {policy.max_retry_after:.0f} s"
                        if wait > policy.max_retry_after
                        else f"past the {policy.deadline:g}-second deadline"
                    )
                    raise FetchError(
                        f"HTTP {response.status_code}, Retry-After {wait:.0f} s is {limit}"
                    )
                if attempt == policy.retries:
                    return response, body, attempt + 1
            if wait is None:
                wait = policy.backoff * 2**attempt
                wait += random.uniform(0, policy.backoff)
            if wait >= clock.left():  # the retry could not finish in time
                if last is None:
                    return response, body, attempt + 1
                raise FetchError(f"{last}; no time left to retry before the deadline")
            clock.doing = f"waiting {wait:.1f} s to retry"
            await asyncio.sleep(wait)
        raise AssertionError("the loop returns or raises")

    async def _attempt(
        self, url: str, headers: Mapping[str, str], clock: _Clock
    ) -> tuple[httpx.Response, bytes]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"only http:// and https:// URLs are fetched, not {url!r}")
        if self.policy.public_only:
            await _check_public(parts.hostname)
        host = self._hosts.setdefault(
            parts.netloc.lower(), _Host(asyncio.Semaphore(self.policy.per_host))
        )
        # Host first, then a global slot: waiting for a host's turn must not hold a slot
        # that a request to another host could use. Starts are reserved host_delay apart;
        # waiting for a global slot can only push a start later, and per_host still caps
        # how many requests one host sees at once.
        async with host.slots:
            async with host.lock:  # space request starts to one host
                now = time.monotonic()
                start = max(now, host.next_start)
                host.next_start = start + self.policy.host_delay
            if start > now:
                await asyncio.sleep(start - now)
            async with self._global:
                clock.start()
                return await self._timed(self._client_for(host), url, headers, clock)

    async def _timed(
        self, client: httpx.AsyncClient, url: str, headers: Mapping[str, str], clock: _Clock
    ) -> tuple[httpx.Response, bytes]:
        """One attempt under its total time, network failures turned into FetchError."""
        try:
            async with asyncio.timeout(self.policy.total_timeout):
                return await self._stream(client, url, headers, clock)
        except TimeoutError:
            raise FetchError(
                f"no complete answer within {self.policy.total_timeout:g} s", retry=True
            ) from None
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({type(exc).__name__})", retry=True) from None
        except httpx.TransportError as exc:
            raise FetchError(f"network error: {exc or type(exc).__name__}", retry=True) from None
        except httpx.InvalidURL as exc:  # what _read_location did not foresee
            raise FetchError(f"cannot be requested, or its redirect followed: {exc}") from None

    async def _stream(
        self, client: httpx.AsyncClient, url: str, headers: Mapping[str, str], clock: _Clock
    ) -> tuple[httpx.Response, bytes]:
        cap = self.policy.max_bytes
        async with client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise FetchError(f"body of {int(declared):,} bytes is over the {cap:,}-byte cap")
            body = Inflater(response.headers.get("content-encoding", ""), cap)
            clock.doing = f"HTTP {response.status_code}, the body still arriving"
            try:
                async for chunk in response.aiter_raw():  # unpacked here, within the cap
                    body.feed(chunk)
                    clock.doing = (
                        f"HTTP {response.status_code}, {body.size:,} bytes of the body so far"
                    )
                return response, body.body()
            except OverCap as exc:
                raise FetchError(str(exc)) from None
            except BadEncoding as exc:  # a body its Content-Encoding does not describe
                raise FetchError(f"the body could not be decoded: {exc}") from None


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


async def _check_public(host: str) -> None:
    """Refuse hosts that resolve to private, loopback or link-local addresses."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FetchError(f"{host} is a private address ({address}); --public-only is set")


def fetch_all(urls: list[str], policy: FetchPolicy) -> dict[str, FetchResult]:
    """Fetch ``urls`` concurrently within ``policy``'s limits; every URL gets a result."""

    wanted = list(dict.fromkeys(urls))

    async def run() -> list[FetchResult]:
        async with Fetcher(policy) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(url) for url in wanted))

    return dict(zip(wanted, asyncio.run(run()) if wanted else [], strict=True))


def _redirect(current: str, location: str) -> tuple[str, str | None]:
    """Where a redirect from ``current`` to ``location`` leads, and why it cannot be
    followed (None when it can): a port past 65535, no host, not http(s)."""
    target = join_url(current, location) or location  # http://[::1/x stays as it came
    fault = url_fault(target)
    return target, f"redirected to {location!r}, where {fault}" if fault else None


async def _read_location(response: httpx.Response) -> None:
    """A response hook: a redirect's Location read our way (:func:`_redirect`) before httpx
    reads it. httpx makes the next request of a redirect even when it is not to follow
    it, and a Location it cannot make one of (``javascript:…``, ``data:…``, ``http:x``)
    raised InvalidURL out of the whole run; one we follow reaches it absolute."""
    if response.has_redirect_location:
        target, why = _redirect(str(response.url), response.headers["location"])
        if why:
            raise FetchError(why)
        response.headers["location"] = target
