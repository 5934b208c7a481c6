#!/usr/bin/env python3
"""Scale benchmark: wemi on a million pages (or --pages N) on this machine's disk.

    python3 benches/million.py [--pages 1000000] [--work /var/tmp/wemi-million] [--seed 13]
                               [--max-rss-gib 16] [--edits 5] [--hugo] [--no-floor] [--no-serve]
                               [--no-check] [--keep-output] [--clear move|delete]
                               [--wemi PATH] [--floor PATH] [--no-build] [--timeout 7200]

On a disk folder (default /var/tmp/wemi-million: tmpfs is too small for a million pages'
content and output together), this

1. writes the corpus with benches/corpus.py into <work>/n<PAGES>/wemi, timed (the disk is slow
   at creating files), or reuses it when it was written for the same pages and seed by the same
   corpus.py (the time it took then is kept in <work>/n<PAGES>/generation.json).
2. times a clean `wemi build` (public/ and .wemi/ cleared first, untimed: moved aside into
   <work>/trash and deleted at the end, or deleted with --clear delete, or when the disk has no
   room for both) and then a no-change build (`wemi build` again: it must write no file and
   touch no mtime): wall time, user+sys CPU, peak RSS (rusage of os.wait4), files written (or
   checked, for the no-change build) and files per second, and the ratio no-change/clean.
3. checks the output holds every page, listing, term page, feed and sitemap (--no-check skips
   that, and the floor's byte-for-byte check, both slow at a million pages).
4. runs the floor (benches/floor.rs) on the same site, with wemi's output as its reference,
   when that reference fits in memory (the floor loads it whole: about 6 KB a page) and the
   disk has room for a second output; else says why it is skipped. --no-floor skips it.
5. with --hugo, times a clean Hugo build of the Hugo flavor when it fits: Hugo needs ~52 KB of
   memory a page (5.2 GiB at 100k pages), so ~50 GB at a million; beyond --max-rss-gib it is
   not run, and the output says so.
6. starts `wemi serve` on the site (it builds the site first, into .wemi/serve/): the time until the
   first notizia is served, its peak RSS (VmHWM), then --edits times the latency from saving an
   edited page to the edited page being served (as benches/serve_latency.py measures it), with
   the time serve logs for its fast path and for the full rebuild that follows each edit.
   --no-serve skips it.

Every child process runs under a memory watchdog: when its RSS passes --max-rss-gib (default
16) it is killed and the output says so, instead of letting the machine swap or the OOM killer
take others' work. Every run is killed after --timeout seconds (default 7200). Before writing
anything, the free disk space is checked: nothing is written that would leave less than 5 GiB.

Prints a markdown table and appends one JSON line to <work>/results.jsonl. The outputs are
deleted at the end (the corpus is kept for the next run) unless --keep-output. Stdlib only.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import serve_latency  # noqa: E402
from harness import log  # noqa: E402

GIB = 1 << 30
# What must stay free on the disk.
DISK_MARGIN = 5 * GIB
# Disk space a page takes on ext4 (4 KB blocks, a folder per page), measured at 100k pages,
# rounded up: its markdown, and a wemi (or floor, or Hugo) output.
CONTENT_BYTES_PER_PAGE = 8 << 10
OUTPUT_BYTES_PER_PAGE = 14 << 10
# Hugo's peak RSS a page: 5.2 GiB at 100k pages (wemi's 2,192 MiB was 0.42× Hugo's, issue 18).
HUGO_BYTES_PER_PAGE = 53 << 10


def disk_free(path):
    usage = shutil.disk_usage(path)
    return usage.free


def gib(n):
    return "%.1f GiB" % (n / GIB) if n >= GIB else "%.0f MiB" % (n / (1 << 20))


def mem_available():
    m = re.search(r"MemAvailable:\s+(\d+)", harness.read("/proc/meminfo"))
    return int(m.group(1)) * 1024 if m else 0


def tree_size(folder):
    """Files, folders, bytes (apparent) and bytes on disk (blocks) of a folder tree."""
    files = dirs = size = blocks = 0
    for root, dirnames, filenames in os.walk(folder):
        dirs += len(dirnames)
        for name in filenames:
            st = os.lstat(os.path.join(root, name))
            files += 1
            size += st.st_size
            blocks += st.st_blocks * 512
    return {"files": files, "dirs": dirs, "bytes": size, "disk_bytes": blocks + (dirs + 1) * 4096}


def corpus(a):
    """The wemi corpus (written, timed, unless a fresh one is there): its folder and figures."""
    folder, fresh = harness.corpus_state(a.work, a.pages, "wemi", seed=a.seed)
    record = os.path.join(os.path.dirname(folder), "generation.json")
    if fresh:
        earlier = json.loads(harness.read(record) or "{}")
        site = harness.site_dir(a.work, a.pages, "wemi", seed=a.seed)
        return site, dict(earlier, reused=True)
    need = a.pages * CONTENT_BYTES_PER_PAGE
    if disk_free(a.work) - need < DISK_MARGIN:
        harness.die("million.py", "the corpus needs about %s and %s has %s free: it would leave less than %s"
                    % (gib(need), a.work, gib(disk_free(a.work)), gib(DISK_MARGIN)))
    start = time.perf_counter()
    site = harness.site_dir(a.work, a.pages, "wemi", seed=a.seed)
    os.sync()
    wall = time.perf_counter() - start
    files = a.pages + len(harness.corpus.SECTIONS)
    figures = {"wall_s": wall, "files": files, "files_per_s": files / wall, "date": now()}
    with open(record, "w") as f:
        json.dump(figures, f)
    return site, dict(figures, reused=False)


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def summary_files(stdout):
    """Files written and unchanged, from wemi's summary line (None when it has none)."""
    m = harness.SUMMARY.search(stdout)
    return (int(m.group(3)), int(m.group(4))) if m else None


def timed(a, cmd, cwd, label):
    """A run under the memory watchdog: its figures, with "failed" when it did not finish."""
    log("  %s …" % label)
    run = harness.run_timed(cmd, cwd, a.timeout, label, max_rss_mib=a.max_rss_gib * 1024, check=False)
    if "failed" in run:
        log("  %s: %s" % (label, run["failed"]))
    else:
        log("  %s: %.1f s, %.1f s CPU, %.0f MiB" % (label, run["wall_s"], run["user_s"] + run["sys_s"],
                                                   run["rss_mib"]))
    return run


def clear(a, clearer, *paths):
    """Clears outputs before a clean build: moved aside when the disk has room for them and a new
    output, else deleted (the build then pays for the deletion: see benches/README.md)."""
    for path in paths:
        if a.clear == "move" and os.path.lexists(path) and \
                disk_free(a.work) - a.pages * OUTPUT_BYTES_PER_PAGE < DISK_MARGIN:
            log("  no room on the disk to move %s aside: deleted instead" % path)
            harness.remove(path)
        else:
            clearer.clear(path)


def wemi_builds(a, wemi, site, clearer):
    """The clean and the no-change build: their figures and the output's."""
    public = os.path.join(site, "public")
    clear(a, clearer, public)
    harness.remove(os.path.join(site, ".wemi"))
    need = a.pages * OUTPUT_BYTES_PER_PAGE
    if disk_free(a.work) - need < DISK_MARGIN:
        harness.die("million.py", "the output needs about %s and %s has %s free: it would leave less than %s"
                    % (gib(need), a.work, gib(disk_free(a.work)), gib(DISK_MARGIN)))
    os.sync()
    cmd = [wemi, "build", "--root", site]
    clean = timed(a, cmd, site, "wemi clean build of %d pages" % a.pages)
    result = {"clean": clean}
    if "failed" in clean:
        return result
    start = time.perf_counter()
    os.sync()
    clean["sync_after_s"] = time.perf_counter() - start
    written = summary_files(clean["stdout"])
    clean["files"] = written[0] if written else None
    result["output"] = tree_size(public)
    before = harness.mtimes(public)
    os.sync()
    again = timed(a, cmd, site, "wemi no-change build of %d pages" % a.pages)
    result["no_change"] = again
    if "failed" not in again:
        counted = summary_files(again["stdout"])
        again["files_written"] = counted[0] if counted else None
        again["files"] = sum(counted) if counted else None
        again["problems"] = harness.no_change_problems(before, public, again["stdout"])
        again["ratio_to_clean"] = again["wall_s"] / clean["wall_s"]
    if not a.no_check:
        log("  checking the output …")
        result["check"] = harness.missing_pages(site, public)
    return result


def floor_run(a, floor, site, builds, clearer):
    """The floor on the same site, when its reference (wemi's output) fits in memory and its
    output on the disk: its figures, or why it was skipped."""
    output = builds.get("output")
    if not output:
        return {"skipped": "no wemi output to take as its reference"}
    # The floor holds every file's bytes and path, in a map: measured ~1.3× the bytes.
    need = output["bytes"] * 1.3 + 300 * (1 << 20)
    room = min(a.max_rss_gib * GIB, mem_available() - 2 * GIB)
    if need > room:
        return {"skipped": "its reference (wemi's output, %s) would take about %s of memory; %s available "
                           "(MemAvailable less 2 GiB, at most --max-rss-gib)" % (gib(output["bytes"]), gib(need),
                                                                                 gib(max(room, 0)))}
    if disk_free(a.work) - output["disk_bytes"] < DISK_MARGIN:
        return {"skipped": "its output (%s on the disk) would leave less than %s free" % (
            gib(output["disk_bytes"]), gib(DISK_MARGIN))}
    out = os.path.join(a.work, "n%d" % a.pages, "floor-public")
    clear(a, clearer, out)
    os.sync()
    run = timed(a, [floor, os.path.join(site, "content"), os.path.join(site, "public"), out], a.work,
                "floor of %d pages" % a.pages)
    if "failed" in run:
        return run
    run = harness.floor_own_times(run)
    run["files"] = output["files"]
    if not a.no_check:
        log("  checking the floor's output …")
        differences, _ = harness.tree_differences(os.path.join(site, "public"), out)
        run["problems"] = differences[:8]
    clearer.clear(out)
    return run


def hugo_run(a, site_wemi, clearer):
    """A clean Hugo build of the Hugo flavor, when --hugo and it fits in memory."""
    need = a.pages * HUGO_BYTES_PER_PAGE
    if not a.hugo:
        return {"skipped": "not asked (--hugo); at %d pages it would need about %s of memory (%d KB a page, "
                           "its rate at 100k)" % (a.pages, gib(need), HUGO_BYTES_PER_PAGE >> 10)}
    if need > a.max_rss_gib * GIB:
        return {"skipped": "at %d pages it would need about %s of memory (%d KB a page, its rate at 100k), over "
                           "--max-rss-gib %g" % (a.pages, gib(need), HUGO_BYTES_PER_PAGE >> 10, a.max_rss_gib)}
    if disk_free(a.work) - a.pages * (CONTENT_BYTES_PER_PAGE + OUTPUT_BYTES_PER_PAGE) < DISK_MARGIN:
        return {"skipped": "its corpus and output would leave less than %s free on the disk" % gib(DISK_MARGIN)}
    hugo = harness.find_hugo(None)
    site = harness.site_dir(a.work, a.pages, "hugo", seed=a.seed)
    clear(a, clearer, os.path.join(site, "public"))
    harness.remove(*[os.path.join(site, name) for name in (".hugo_build.lock", "resources")])
    os.sync()
    run = timed(a, [hugo, "--quiet"], site, "Hugo clean build of %d pages" % a.pages)
    if "failed" not in run:
        run["version"] = (re.findall(r"v\d+\.\d+\.\d+", harness.output_of([hugo, "version"])) or ["?"])[0]
        run["files"] = tree_size(os.path.join(site, "public"))["files"]
        if not a.no_check:
            run["check"] = harness.missing_pages(site_wemi, os.path.join(site, "public"))
    clearer.clear(os.path.join(site, "public"))
    return run


def serve_run(a, wemi, site):
    """`wemi serve` on the site: start, edits, memory."""
    slug, md = serve_latency.first_notizia(site)
    port = serve_latency.free_port()
    url = "http://127.0.0.1:%d/notizie/%s/" % (port, slug)
    log("  wemi serve of %d pages …" % a.pages)
    server = serve_latency.Server([wemi, "serve", "--root", site, "--port", str(port)], site,
                                  os.path.join(a.work, "serve.log"), serve_latency.WEMI_BUILT)
    watchdog = harness.MemoryWatchdog(server.proc.pid, a.max_rss_gib * 1024)
    result = {}
    try:
        serve_latency.wait_for(lambda: serve_latency.served(url), a.timeout, "the first build", server)
        result["start_s"] = time.perf_counter() - server.started
        log("  wemi serve: first page served after %.1f s" % result["start_s"])
        latencies = serve_latency.edit_latencies(server, url, md, a.edits, a.timeout, a.timeout)
        result["latencies_ms"] = [round(x * 1000, 1) for x in latencies]
    except serve_latency.WaitFailed as e:
        result["failed"] = watchdog.verdict() if watchdog.killed_at_mib else str(e)
    finally:
        result["rss_mib"] = server.peak_rss_mib()
        watchdog.stop()
        server.stop()
    served_log = harness.read(server.log_path)
    result["build_ms"] = [int(ms) for ms in serve_latency.WEMI_BUILT.findall(served_log)]
    result["fast_path_ms"] = [int(ms) for ms in re.findall(r"Updated \S+ in (\d+) ms", served_log)]
    if watchdog.killed_at_mib and "failed" not in result:
        result["failed"] = watchdog.verdict()
    return result


def seconds(x):
    return "%.3f" % x if x < 10 else "%.1f" % x


def per_second(files, wall):
    return "{:,.0f}".format(files / wall) if files and wall else ""


def table(r):
    lines = ["| %s pages | wall | CPU (user+sys) | peak RSS | files | files/s | notes |" % "{:,}".format(r["pages"]),
             "|---|---:|---:|---:|---:|---:|---|"]

    def row(name, wall="", cpu="", rss="", files="", rate="", note=""):
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (name, wall, cpu, rss, files, rate, note))

    def run_row(name, run, files_label="", note=""):
        if "skipped" in run:
            row(name, note="not run: " + run["skipped"])
        elif "failed" in run:
            row(name, seconds(run["wall_s"]) + " s", "", "%.0f MiB" % run["rss_mib"], note="FAILED: " + run["failed"])
        else:
            files = run.get("files")
            row(name, seconds(run["wall_s"]) + " s", seconds(run["user_s"] + run["sys_s"]) + " s",
                "%.0f MiB" % run["rss_mib"], ("{:,}".format(files) + files_label) if files else "",
                per_second(files, run["wall_s"]), note)

    g = r["corpus"]
    if g.get("wall_s"):
        row("corpus.py: writing the corpus" + (" (reused: written %s)" % g.get("date", "earlier") if g["reused"]
                                               else ""),
            seconds(g["wall_s"]) + " s", files="{:,}".format(g["files"]), rate=per_second(g["files"], g["wall_s"]),
            note="%s of markdown on the disk" % gib(r["content"]["disk_bytes"]))
    b = r["builds"]
    clean = b["clean"]
    run_row("wemi build, clean", clean, " written",
            "" if "failed" in clean else "then `sync`: %.1f s; output %s (%s on the disk)" % (
                clean["sync_after_s"], gib(b["output"]["bytes"]), gib(b["output"]["disk_bytes"])))
    if "no_change" in b:
        nc = b["no_change"]
        note = "" if "failed" in nc else "%.3f× the clean build%s; %s written" % (
            nc["ratio_to_clean"], "" if not nc["problems"] else " — FAILED: " + "; ".join(nc["problems"]),
            nc["files_written"])
        run_row("wemi build, no change", nc, " checked", note)
    f = r["floor"]
    run_row("floor (benches/floor.rs)", f, " written",
            "" if "skipped" in f or "failed" in f else "wemi clean / floor: %.2f× (the floor's own times, without "
            "loading its reference; its RSS holds it)%s" % (
                clean["wall_s"] / f["wall_s"], "; output FAILED: " + "; ".join(f["problems"]) if f.get("problems")
                else ""))
    h = r["hugo"]
    run_row("Hugo %s, clean" % h["version"] if "version" in h else "Hugo, clean", h, " written",
            "" if "skipped" in h or "failed" in h else "wemi clean / Hugo: %.2f× time, %.2f× RSS" % (
                clean["wall_s"] / h["wall_s"], clean["rss_mib"] / h["rss_mib"]))
    s = r["serve"]
    if "skipped" in s:
        row("wemi serve", note="not run: " + s["skipped"])
    else:
        failed = "FAILED: " + s["failed"] if "failed" in s else ""
        if "start_s" in s:
            row("wemi serve: start → first page served", seconds(s["start_s"]) + " s",
                rss="%.0f MiB" % s["rss_mib"] if s.get("rss_mib") else "",
                note="its first build: %s ms" % ("{:,}".format(s["build_ms"][0]) if s["build_ms"] else "?"))
        ms = s.get("latencies_ms")
        if ms:
            row("wemi serve: save → edited page served", "%.0f ms" % statistics.median(ms),
                note="median of %d edits (%.0f–%.0f ms); serve's fast path: %s ms; each followed by a full "
                     "rebuild in the background: %s ms" % (
                         len(ms), min(ms), max(ms), ", ".join(map(str, s["fast_path_ms"])) or "?",
                         ", ".join("{:,}".format(x) for x in s["build_ms"][1:]) or "?"))
        if failed:
            row("wemi serve", note=failed)
    return "\n".join(lines)


def checks_failed(r):
    b = r["builds"]
    failed = []
    if "failed" in b["clean"]:
        failed.append("clean build: " + b["clean"]["failed"])
    if b.get("check") and not b["check"]["ok"]:
        failed.append("output: " + "; ".join(b["check"]["problems"]))
    nc = b.get("no_change", {})
    if nc.get("failed") or nc.get("problems"):
        failed.append("no-change build: " + (nc.get("failed") or "; ".join(nc["problems"])))
    if r["floor"].get("problems"):
        failed.append("floor output: " + "; ".join(r["floor"]["problems"]))
    if r["serve"].get("failed"):
        failed.append("serve: " + r["serve"]["failed"])
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=1000000, help="pages of the corpus (default 1,000,000)")
    ap.add_argument("--work", default="/var/tmp/wemi-million", help="work dir, on a disk (default /var/tmp/wemi-million)")
    ap.add_argument("--seed", type=int, default=harness.corpus.DEFAULT_SEED, help="seed of benches/corpus.py")
    ap.add_argument("--max-rss-gib", type=float, default=16,
                    help="kill any child whose RSS passes this many GiB (default 16)")
    ap.add_argument("--edits", type=int, default=5, help="edits timed with wemi serve (default 5)")
    ap.add_argument("--hugo", action="store_true", help="also a clean Hugo build, where it fits in memory")
    ap.add_argument("--no-floor", action="store_true", help="do not run the floor")
    ap.add_argument("--no-serve", action="store_true", help="do not run wemi serve")
    ap.add_argument("--no-check", action="store_true", help="do not check the outputs (slow at a million pages)")
    ap.add_argument("--keep-output", action="store_true", help="keep wemi's output at the end (deleted by default)")
    ap.add_argument("--clear", choices=["move", "delete"], default="move",
                    help="how an old output is cleared before the clean build: moved aside and deleted at the end "
                         "(default, when the disk has room), or deleted")
    ap.add_argument("--wemi", default=None, help="wemi binary (default: build and use target/release/wemi)")
    ap.add_argument("--floor", default=None, help="floor binary (default: build and use target/release/examples/floor)")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build --release (and --example floor)")
    ap.add_argument("--timeout", type=int, default=7200, help="seconds before a run is killed (default 7200)")
    a = ap.parse_args()
    if a.pages < 1:
        harness.die("million.py", "--pages must be at least 1")
    a.work = os.path.abspath(a.work)
    os.makedirs(a.work, exist_ok=True)
    kind = harness.fs_type(a.work)
    if kind == "tmpfs":
        log("warning: %s is on tmpfs, not a disk" % a.work)

    wemi_src = harness.wemi_binary(a.wemi, a.no_build, "million.py")
    wemi = harness.pin(wemi_src, a.work, "wemi")
    floor = None if a.no_floor else harness.pin(harness.floor_binary(a.floor, a.no_build, "million.py"), a.work,
                                                "floor")
    info = [
        "date: %s" % now(),
        "machine: %s %s, %d CPUs, %s, %s available at start" % (
            platform.system(), platform.release(), os.cpu_count(), harness.memory(), gib(mem_available())),
        "work dir: %s (%s), %s free at start" % (a.work, kind, gib(disk_free(a.work))),
        "corpus: benches/corpus.py, %d pages, seed %d" % (a.pages, a.seed),
        "wemi: %s (%s, git %s)" % (harness.output_of([wemi, "--version"]), wemi_src, harness.git_state()),
        "memory watchdog: any child past %g GiB of RSS is killed" % a.max_rss_gib,
    ]
    for line in info:
        log(line)
    load_at_start = harness.load()
    clearer = harness.Clearer(a.work, a.clear)
    site, generation = corpus(a)
    r = {"pages": a.pages, "seed": a.seed, "corpus": generation}
    r["content"] = tree_size(os.path.join(site, "content"))
    try:
        r["builds"] = wemi_builds(a, wemi, site, clearer)
        r["hugo"] = hugo_run(a, site, clearer)
        r["floor"] = {"skipped": "--no-floor"} if a.no_floor else floor_run(a, floor, site, r["builds"], clearer)
        clearer.empty_trash()
        r["serve"] = {"skipped": "--no-serve"} if a.no_serve else serve_run(a, wemi, site)
    finally:
        log("deleting the outputs …")
        start = time.perf_counter()
        if not a.keep_output:
            harness.remove(os.path.join(site, "public"), os.path.join(site, ".wemi"))
        clearer.empty_trash()
        r["delete_s"] = time.perf_counter() - start
    info.append("load average at start: %s; at end: %s" % (load_at_start, harness.load()))
    for run in [r["builds"].get("clean"), r["builds"].get("no_change"), r["floor"], r["hugo"]]:
        if run:
            run.pop("stdout", None)
    with open(os.path.join(a.work, "results.jsonl"), "a") as f:
        f.write(json.dumps(dict(r, date=now(), wemi=harness.output_of([wemi, "--version"]),
                                git=harness.git_state(), max_rss_gib=a.max_rss_gib)) + "\n")
    harness.print_report(info, table(r), "Wall time around each process; CPU and peak RSS from its rusage "
                         "(os.wait4); serve's RSS is its VmHWM. files/s: files written (clean builds), or the "
                         "output's files checked (no-change build), per second of wall time. Deleting the "
                         "outputs at the end took %.1f s." % r["delete_s"])
    failed = checks_failed(r)
    if failed:
        harness.die("million.py", "FAILED: " + " | ".join(failed))


if __name__ == "__main__":
    main()
