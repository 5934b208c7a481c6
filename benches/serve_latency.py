#!/usr/bin/env python3
"""Serve benchmark: how long after a save `wemi serve` serves the new content.

    python3 benches/serve_latency.py [--pages 10000] [--edits 20] [--hugo] [--work DIR]
                                     [--wemi PATH] [--bench DIR]

Uses the corpus of compare.py (<work>/n<PAGES>/wemi, written the same way if missing; default
work dir /dev/shm/wemi-bench) and the release binary (built first unless --wemi PATH is given).

1. Page edit: starts `wemi serve` on a free loopback port, waits for the first notizia to be
   served, then --edits times: appends a paragraph with a new marker to that notizia's
   markdown and polls its URL every 2 ms until the marker is served. Latency = from just
   before the write to the first response holding the marker, measured from outside the
   process. Before the next edit it waits for the full rebuild that follows (serve's log says
   when).
2. Template change: appends a marker comment to the theme's page template, which every page
   uses, and reads from serve's log how long that rebuild took; then times a clean
   `wemi build` of the same corpus into a fresh folder on the same file system.
3. With --hugo: the same page edits (--hugo-edits, default 5) with `hugo server` on the Hugo
   flavor of the corpus (its defaults: pages rendered in memory, fast render mode).

The edited files are restored and the servers stopped at the end. Prints a markdown table.
Stdlib only.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

WEMI_BUILT = re.compile(r"Built \d+ pages? and \d+ sections? in (\d+) ms")
HUGO_BUILT = re.compile(r"Total in (\d+) ms")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return None


class WaitFailed(Exception):
    """What was waited for did not come: timed out, or the server stopped."""


def wait_for(pred, timeout, what, server=None):
    """Polls `pred` every 2 ms until it is true (its value), for `timeout` seconds at most;
    raises WaitFailed when the time is up or `server` has stopped."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        value = pred()
        if value:
            return value
        if server and server.proc.poll() is not None:
            raise WaitFailed("the server stopped (exit code %d) while waiting for %s" % (server.proc.returncode, what))
        time.sleep(0.002)
    raise WaitFailed("timed out waiting for " + what)


def builds_logged(log_path, built):
    """The build times (ms) the server has logged so far."""
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return [int(ms) for ms in built.findall(f.read())]


class Server:
    """A preview server started in its own session, its output in a log file."""

    def __init__(self, cmd, cwd, log_path, built):
        self.log_path, self.built = log_path, built
        self.log = open(log_path, "w")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    def builds(self):
        return builds_logged(self.log_path, self.built)

    def peak_rss_mib(self):
        """The server's peak RSS so far (VmHWM), in MiB; None once it has stopped."""
        m = re.search(r"VmHWM:\s+(\d+) kB", harness.read("/proc/%d/status" % self.proc.pid))
        return int(m.group(1)) / 1024 if m else None

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:  # already gone (killed by a watchdog)
            pass
        self.proc.wait(timeout=60)
        self.log.close()


def first_notizia(site):
    notizie = os.path.join(site, "content", "notizie")
    slug = sorted(f for f in os.listdir(notizie) if f.endswith(".md") and not f.startswith("_"))[0][:-3]
    return slug, os.path.join(notizie, slug + ".md")


def served(url):
    """True when `url` serves a whole page."""
    return (b := fetch(url)) and "</html>" in b


def edit_latencies(server, url, md, edits, first_build_timeout=300, rebuild_timeout=120):
    """Seconds from each save of `md` to the first response of `url` holding the new text."""
    with open(md, encoding="utf-8") as f:
        original = f.read()
    latencies = []
    try:
        wait_for(lambda: served(url), first_build_timeout, "the first build", server)
        time.sleep(1.0)
        for i in range(edits):
            done = len(server.builds())
            marker = "MARKER%d%d" % (os.getpid(), i)
            start = time.perf_counter()
            with open(md, "w", encoding="utf-8") as f:
                f.write(original + "\nParagrafo aggiornato %s.\n" % marker)
            wait_for(lambda: (b := fetch(url)) and marker in b, 120, "edit %d" % i, server)
            latencies.append(time.perf_counter() - start)
            wait_for(lambda: len(server.builds()) > done, rebuild_timeout, "the rebuild after edit %d" % i, server)
            time.sleep(0.3)
    finally:
        with open(md, "w", encoding="utf-8") as f:
            f.write(original)
    return latencies


def template_rebuild_ms(server, template):
    """How long the server says the rebuild after a change to `template` took."""
    with open(template, encoding="utf-8") as f:
        original = f.read()
    done = len(server.builds())
    try:
        with open(template, "w", encoding="utf-8") as f:
            f.write(original + "\n{# TEMPLATE%d #}\n" % os.getpid())
        wait_for(lambda: len(server.builds()) > done, 300, "the template rebuild", server)
        return server.builds()[-1]
    finally:
        with open(template, "w", encoding="utf-8") as f:
            f.write(original)


def measure_wemi(a, wemi):
    site = harness.site_dir(a.work, a.pages, "wemi", a.bench)
    slug, md = first_notizia(site)
    port = free_port()
    server = Server([wemi, "serve", "--root", site, "--port", str(port)], site,
                    os.path.join(a.work, "serve-latency.log"), WEMI_BUILT)
    try:
        latencies = edit_latencies(server, "http://127.0.0.1:%d/notizie/%s/" % (port, slug), md, a.edits)
        template_ms = template_rebuild_ms(server, os.path.join(site, "themes", "bench", "templates", "page.html"))
    finally:
        server.stop()
    out = tempfile.mkdtemp(dir=a.work)
    try:
        start = time.perf_counter()
        subprocess.run([wemi, "build", "--root", site, "--output", os.path.join(out, "public")], check=True,
                       stdout=subprocess.DEVNULL)
        clean_ms = (time.perf_counter() - start) * 1000
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return latencies, template_ms, clean_ms


def measure_hugo(a):
    site = harness.site_dir(a.work, a.pages, "hugo", a.bench)
    slug, md = first_notizia(site)
    port = free_port()
    harness.remove(os.path.join(site, "public"))
    server = Server([harness.find_hugo(None), "server", "--bind", "127.0.0.1", "--port", str(port)], site,
                    os.path.join(a.work, "serve-latency-hugo.log"), HUGO_BUILT)
    try:
        return edit_latencies(server, "http://127.0.0.1:%d/notizie/%s/" % (port, slug), md, a.hugo_edits)
    finally:
        server.stop()


def row(name, latencies):
    ms = [x * 1000 for x in latencies]
    return "| %s: save → new page served (%d edits) | %.0f ms | %.0f–%.0f ms |" % (
        name, len(ms), statistics.median(ms), min(ms), max(ms))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--work", default="/dev/shm/wemi-bench")
    ap.add_argument("--bench", metavar="DIR", default=None,
                    help="write the corpus with the reference generator DIR/gen.py instead of benches/corpus.py")
    ap.add_argument("--wemi", default=None, help="wemi binary (default: build and use target/release/wemi)")
    ap.add_argument("--hugo", action="store_true", help="also measure hugo server")
    ap.add_argument("--hugo-edits", type=int, default=5)
    a = ap.parse_args()
    a.work = os.path.abspath(a.work)
    os.makedirs(a.work, exist_ok=True)
    if a.bench:
        a.bench = os.path.abspath(a.bench)

    wemi = harness.pin(harness.wemi_binary(a.wemi, False, "serve_latency.py"), a.work, "wemi")
    try:
        latencies, template_ms, clean_ms = measure_wemi(a, wemi)
        hugo = measure_hugo(a) if a.hugo else None
    except WaitFailed as e:
        sys.exit("serve_latency.py: %s" % e)

    print("| %d pages | median | min–max |" % a.pages)
    print("|---|---|---|")
    print(row("`wemi serve`", latencies))
    if hugo:
        print(row("`hugo server`", hugo))
    print("| `wemi serve`: template change, whole-site rebuild | %d ms | |" % template_ms)
    print("| `wemi build`: clean build, same corpus | %.0f ms | |" % clean_ms)
    with open(os.path.join(a.work, "serve-latency.json"), "w") as f:
        json.dump({"pages": a.pages, "latencies_ms": [round(x * 1000, 1) for x in latencies],
                   "template_rebuild_ms": template_ms, "clean_build_ms": round(clean_ms),
                   "hugo_latencies_ms": [round(x * 1000, 1) for x in hugo] if hugo else None}, f)


if __name__ == "__main__":
    main()
