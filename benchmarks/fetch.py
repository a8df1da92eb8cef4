"""`digest fetch` at scale: 500 links over 50 loopback servers that each add 50 ms latency.

    .venv/bin/python benchmarks/fetch.py [--links 500] [--hosts 50] [--latency 0.05]

The servers run in a separate process (asyncio, one port each), so they do not compete
with the fetcher for its interpreter. The fetcher runs as the real command in a
subprocess on a generated project. Printed: wall time of a cold `digest fetch`, the ideal
that the default limits allow (see `ideal()`), their ratio, the peak memory of the fetch
process, and the wall time of `digest fetch --refresh` when every link answers 304.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from digest.config import FetchSettings

ROOT = Path(__file__).resolve().parent.parent
PAGE = (
    "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
    "<title>{title} - 测试站点</title>"
    "<meta name='description' content='基准测试页面'></head><body><nav>首页 归档 关于</nav>"
    "<article><h1>{title}</h1>" + "<p>这是基准测试用的正文段落，模拟一篇普通的技术文章。</p>" * 30 +
    "</article><aside>热门文章</aside></body></html>"
)  # fmt: skip


async def _serve(
    ports: list[int], latency: float, ready: multiprocessing.synchronize.Event
) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                await asyncio.sleep(latency)
                if b"if-none-match" in head.lower():
                    writer.write(
                        b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nContent-Length: 0\r\n\r\n'
                    )
                else:
                    body = PAGE.format(title=f"页面 {path}").encode()
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                        b'ETag: "v1"\r\nContent-Length: %d\r\n\r\n' % len(body) + body
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    servers = [await asyncio.start_server(handle, "127.0.0.1", port) for port in ports]
    ready.set()
    await asyncio.gather(*(s.serve_forever() for s in servers))


def serve(ports: list[int], latency: float, ready: multiprocessing.synchronize.Event) -> None:
    asyncio.run(_serve(ports, latency, ready))


def ideal(links: int, hosts: int, latency: float, limits: FetchSettings) -> float:
    """The shortest wall time the limits allow, ignoring CPU: the larger of the global bound
    (links x latency / concurrency) and the per-host bound (starts spaced by host_delay,
    at most per_host at once)."""
    per_host = links / hosts
    global_bound = links * latency / limits.concurrency
    host_bound = max((per_host - 1) * limits.host_delay, per_host * latency / limits.per_host)
    return max(global_bound, host_bound + latency)


def make_project(root: Path, urls: list[str], limits: FetchSettings) -> None:
    (root / "content" / "issues").mkdir(parents=True)
    site = (ROOT / "content" / "site.toml").read_text(encoding="utf-8")
    site += f"\n[fetch]\nconcurrency = {limits.concurrency}\n"
    (root / "content" / "site.toml").write_text(site, encoding="utf-8")
    items = "\n".join(f"### {url}\n" for url in urls)
    (root / "content" / "issues" / "0001.md").write_text(
        f"---\nnumber: 1\ntitle: 基准\ndate: 2026-11-20\n---\n\n## articles\n\n{items}",
        encoding="utf-8",
    )


def run(root: Path, *args: str) -> tuple[float, float, str]:
    """Whole-process wall time, the network phase the command reports, its summary line."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "digest.cli", "fetch", "--root", str(root),
                           *args], capture_output=True, text=True, check=True,
                          env={**os.environ, "COLUMNS": "200"})  # fmt: skip
    summary = done.stdout.strip().splitlines()[-1]
    network = float(re.search(r"requests in ([0-9.]+) s", summary).group(1))  # type: ignore[union-attr]
    return time.perf_counter() - start, network, summary


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=FetchSettings().concurrency)
    args = parser.parse_args()
    limits = FetchSettings(concurrency=args.concurrency)
    ports = list(range(18500, 18500 + args.hosts))
    ready = multiprocessing.Event()
    servers = multiprocessing.Process(target=serve, args=(ports, args.latency, ready), daemon=True)
    servers.start()
    ready.wait(10)
    urls = [f"http://127.0.0.1:{ports[i % args.hosts]}/post/{i}" for i in range(args.links)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_project(root, urls, limits)
        cold, cold_net, summary = run(root)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        warm, warm_net, warm_summary = run(root, "--refresh")
    servers.terminate()
    best = ideal(args.links, args.hosts, args.latency, limits)
    print(f"links: {args.links} over {args.hosts} hosts, {args.latency * 1000:.0f} ms latency")
    print(
        f"limits: {limits.concurrency} at once, {limits.per_host} per host, "
        f"{limits.host_delay * 1000:.0f} ms between starts to a host; ideal {best:.2f} s"
    )
    print(
        f"cold fetch: {cold:.2f} s in all, network phase {cold_net:.2f} s "
        f"({cold_net / best:.2f}x the ideal)"
    )
    print(f"  {summary}")
    print(f"peak memory of the fetch process: {peak_mb:.0f} MB")
    print(f"second fetch, everything 304: {warm:.2f} s in all, network phase {warm_net:.2f} s")
    print(f"  {warm_summary}")
    targets = {
        "cold network phase within 1.5x the ideal": cold_net <= 1.5 * best,
        "second fetch under 2 s": warm < 2.0,
    }
    for name, met in targets.items():
        print(f"target {'met' if met else 'MISSED'}: {name}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
