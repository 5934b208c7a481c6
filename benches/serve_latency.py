#!/usr/bin/env python3
"""Serve benchmark: how long after a save `wemi serve` serves the new content.

    python3 benches/serve_latency.py [--pages 10000] [--edits 20] [--hugo] [--work DIR]

Uses the corpus of compare.py (<work>/n<PAGES>/canonical, generated and set up the same way
if missing; default work dir /dev/shm/wemi-bench) and the release binary (built first unless
--wemi PATH is given).

1. Page edit: starts `wemi serve` on a free loopback port, waits for the first notizia to be
   served, then --edits times: appends a paragraph with a new marker to that notizia's
   markdown and polls its URL every 2 ms until the marker is served. Latency = from just
   before the write to the first response holding the marker (measured from outside the
   process, like the shared incr.py). Then it waits for the full rebuild that follows each
   edit (read from the serve log) before the next edit.
2. Template change: appends a marker comment to the theme's page template, which every page
   uses, and reads from serve's log how long that rebuild took; then times a clean
   `wemi build` of the same corpus into a fresh folder on the same file system.
3. With --hugo: the shared incr.py measures `hugo server` on the Hugo flavor of the corpus
   (5 edits, its 10 ms polls).

Prints a markdown table. Stdlib only.
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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402  (corpus generation and tool lookup are shared)

BUILT = re.compile(r"Built \d+ pages and \d+ sections in (\d+) ms")


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


def wait_for(pred, timeout, what):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        value = pred()
        if value:
            return value
        time.sleep(0.002)
    sys.exit("serve_latency.py: timed out waiting for " + what)


def builds_logged(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        return [int(m) for m in BUILT.findall(f.read())]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--work", default="/dev/shm/wemi-bench")
    ap.add_argument("--bench", default=compare.DEFAULT_BENCH)
    ap.add_argument("--wemi", default=None)
    ap.add_argument("--hugo", action="store_true", help="also measure hugo server (shared incr.py)")
    a = ap.parse_args()

    wemi = a.wemi or compare.build_wemi(a.work)
    corpus = compare.generate(a.bench, a.work, a.pages, "canonical")
    compare.setup_wemi_site(corpus)
    notizie = os.path.join(corpus, "content", "notizie")
    slug = sorted(f for f in os.listdir(notizie) if f.endswith(".md") and not f.startswith("_"))[0][:-3]
    md = os.path.join(notizie, slug + ".md")
    template = os.path.join(corpus, "themes", "bench", "templates", "page.html")
    with open(md, encoding="utf-8") as f:
        original = f.read()
    with open(template, encoding="utf-8") as f:
        original_template = f.read()

    port = free_port()
    url = "http://127.0.0.1:%d/notizie/%s/" % (port, slug)
    log_path = os.path.join(a.work, "serve-latency.log")
    log = open(log_path, "w")
    proc = subprocess.Popen([wemi, "serve", "--root", corpus, "--port", str(port)], stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    latencies, template_ms = [], None
    try:
        wait_for(lambda: (b := fetch(url)) and "</html>" in b, 300, "the first build")
        time.sleep(1.0)
        for i in range(a.edits):
            done = len(builds_logged(log_path))
            marker = "MARKER%d%d" % (os.getpid(), i)
            t0 = time.perf_counter()
            with open(md, "w", encoding="utf-8") as f:
                f.write(original + "\nParagrafo aggiornato %s.\n" % marker)
            wait_for(lambda: (b := fetch(url)) and marker in b, 120, "edit %d" % i)
            latencies.append(time.perf_counter() - t0)
            wait_for(lambda: len(builds_logged(log_path)) > done, 120, "the rebuild after edit %d" % i)
            time.sleep(0.3)
        done = len(builds_logged(log_path))
        with open(template, "w", encoding="utf-8") as f:
            f.write(original_template + "\n{# TEMPLATE%d #}\n" % os.getpid())
        wait_for(lambda: len(builds_logged(log_path)) > done, 300, "the template rebuild")
        template_ms = builds_logged(log_path)[-1]
    finally:
        with open(md, "w", encoding="utf-8") as f:
            f.write(original)
        with open(template, "w", encoding="utf-8") as f:
            f.write(original_template)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        log.close()

    out = tempfile.mkdtemp(dir=a.work)
    try:
        t0 = time.perf_counter()
        subprocess.run([wemi, "build", "--root", corpus, "--output", os.path.join(out, "public")],
                       check=True, stdout=subprocess.DEVNULL)
        clean_ms = (time.perf_counter() - t0) * 1000
    finally:
        shutil.rmtree(out, ignore_errors=True)

    hugo = None
    if a.hugo:
        hugo_site = compare.generate(a.bench, a.work, a.pages, "hugo")
        env = dict(os.environ, HUGO_BIN=compare.find_hugo(None))
        r = subprocess.run([sys.executable, os.path.join(a.bench, "incr.py"), "--peer", "hugo", "--site", hugo_site,
                            "--port", str(free_port()), "--edits", "5"], capture_output=True, text=True, env=env)
        if r.returncode == 0:
            hugo = json.loads(r.stdout.strip().splitlines()[-1])
        else:
            print("hugo measurement failed:\n" + r.stderr, file=sys.stderr)

    ms = [x * 1000 for x in latencies]
    print("| %d pages | median | min–max |" % a.pages)
    print("|---|---|---|")
    print("| `wemi serve`: save → new page served (%d edits) | %.0f ms | %.0f–%.0f ms |"
          % (len(ms), statistics.median(ms), min(ms), max(ms)))
    if hugo:
        print("| `hugo server`: save → new page served (%d edits) | %.0f ms | %.0f–%.0f ms |"
              % (len(hugo["latencies_s"]), hugo["median_s"] * 1000, hugo["min_s"] * 1000, hugo["max_s"] * 1000))
    print("| `wemi serve`: template change, whole-site rebuild | %d ms | |" % template_ms)
    print("| `wemi build`: clean build, same corpus | %.0f ms | |" % clean_ms)
    json.dump({"pages": a.pages, "latencies_ms": [round(x, 1) for x in ms], "template_rebuild_ms": template_ms,
               "clean_build_ms": round(clean_ms), "hugo": hugo}, open(os.path.join(a.work, "serve-latency.json"), "w"))


if __name__ == "__main__":
    main()
