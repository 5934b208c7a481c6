#!/usr/bin/env python3
"""A/B benchmark: is a new wemi as fast as an old one, with the same output?

    python3 benches/ab.py OLD_WEMI [--new PATH | --no-build] [--pages 10000] [--runs 5]
                          [--work DIR] [--bench DIR]

Builds the same corpus (benches/corpus.py, 10,000 pages by default; --bench DIR: the reference
generator DIR/gen.py) with two wemi binaries: OLD_WEMI, and the new one (--new PATH, else
target/release/wemi, built first unless --no-build). Both are copied to <work>/bin/ first.
Each binary gets its own copy of the corpus, so that neither sees the other's output or state.

1. Clean builds, alternating the two binaries (old, new, then new, old, …: neither is always
   first), --runs each after --warmup untimed ones. Before each, untimed: the site's public/
   and wemi's state folder .wemi/ are deleted, then sync.
2. The two public/ folders are compared: every path, file type and byte must be the same.
3. No-change rebuilds, alternating the same way: each must write no file (summary line) and
   change no modification time in public/.

Prints a markdown table with medians and the new/old ratios of wall time, CPU time and peak
RSS, and exits with 1 if the outputs differ or a rebuild wrote something. Results are also
appended as JSON lines to <work>/ab-results.jsonl. Default work dir: /dev/shm/wemi-ab (tmpfs).

Stdlib only.
"""
import argparse
import datetime
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import log  # noqa: E402

LABELS = ("old", "new")


def alternating(a):
    """(run index, warm-up?, label) in the order the builds run: old new, new old, old new …"""
    for i in range(a.warmup + a.runs):
        for label in LABELS if i % 2 == 0 else reversed(LABELS):
            yield i, i < a.warmup, label


def timed_builds(a, binaries, sites, clean):
    """Alternating builds of both binaries: run_timed results per label, and rebuild problems."""
    runs = {label: [] for label in LABELS}
    problems = []
    kind = "clean build" if clean else "no-change rebuild"
    for i, warm, label in alternating(a):
        site = sites[label]
        public = os.path.join(site, "public")
        log("  %s %s %d/%d%s" % (label, kind, i + 1, a.warmup + a.runs, " (warm-up)" if warm else ""))
        if clean:
            harness.remove(public, os.path.join(site, ".wemi"))
        else:
            before = harness.mtimes(public)
        os.sync()
        run = harness.run_timed([binaries[label], "build", "--root", site], site, a.timeout,
                                "%s %s of %d pages" % (label, kind, a.pages))
        if not clean:
            problems += ["%s: %s" % (label, p) for p in harness.no_change_problems(before, public, run["stdout"])]
        if not warm:
            runs[label].append(run)
    return {label: harness.stats(r) for label, r in runs.items()}, problems


def copy_site(corpus_dir, target):
    harness.remove(target)
    shutil.copytree(corpus_dir, target, ignore=shutil.ignore_patterns("public", ".wemi", ".made-by.json"))


def table(a, rows):
    lines = ["| {:,} pages | binary | median s | min–max s | CPU s | peak RSS MiB | new/old time | new/old CPU "
             "| new/old RSS |".format(a.pages),
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, stats in rows.items():
        old, new = stats["old"], stats["new"]
        for label, s in stats.items():
            ratios = ["%.2f" % (new[k] / old[k]) for k in ("wall_median_s", "cpu_median_s", "rss_median_mib")] \
                if label == "new" else ["", "", ""]
            lines.append("| %s | %s | %.3f | %.3f–%.3f | %.3f | %.0f | %s |" % (
                kind, label, s["wall_median_s"], s["wall_min_s"], s["wall_max_s"], s["cpu_median_s"],
                s["rss_median_mib"], " | ".join(ratios)))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", help="the old wemi binary")
    ap.add_argument("--new", default=None, help="the new wemi binary (default: build and use target/release/wemi)")
    ap.add_argument("--no-build", action="store_true", help="use target/release/wemi as it is")
    ap.add_argument("--pages", type=int, default=10000, help="corpus size (default 10000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per binary and kind of build (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    ap.add_argument("--work", default="/dev/shm/wemi-ab", help="work dir (default /dev/shm/wemi-ab, tmpfs)")
    ap.add_argument("--seed", type=int, default=harness.corpus.DEFAULT_SEED, help="seed of benches/corpus.py")
    ap.add_argument("--bench", metavar="DIR", default=None,
                    help="write the corpus with the reference generator DIR/gen.py instead of benches/corpus.py")
    ap.add_argument("--timeout", type=int, default=900, help="seconds before a run is killed (default 900)")
    a = ap.parse_args()
    a.work = os.path.abspath(a.work)
    os.makedirs(a.work, exist_ok=True)
    if a.bench:
        a.bench = os.path.abspath(a.bench)
    sources = {"old": os.path.abspath(a.old), "new": harness.wemi_binary(a.new, a.no_build, "ab.py")}
    binaries = {label: harness.pin(path, a.work, "wemi-" + label) for label, path in sources.items()}

    corpus_dir = harness.site_dir(a.work, a.pages, "wemi", a.bench, a.seed)
    sites = {}
    for label in LABELS:
        sites[label] = os.path.join(a.work, "ab-n%d" % a.pages, label)
        copy_site(corpus_dir, sites[label])

    info = ["date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "work dir: %s (%s); corpus: %s" % (a.work, harness.fs_type(a.work),
                                               "%s/gen.py" % a.bench if a.bench else "benches/corpus.py, seed %d"
                                               % a.seed)]
    info += ["%s: %s (%s)" % (label, harness.output_of([binaries[label], "--version"]), sources[label])
             for label in LABELS]
    info.append("runs: %d timed + %d warm-up per binary, alternating" % (a.runs, a.warmup))
    for line in info:
        log(line)
    load_at_start = harness.load()
    rows = {}
    rows["clean"], _ = timed_builds(a, binaries, sites, clean=True)
    differences, files = harness.tree_differences(*(os.path.join(sites[label], "public") for label in LABELS))
    rows["no-change"], rebuild_problems = timed_builds(a, binaries, sites, clean=False)
    info.append("load average at start: %s; at end: %s" % (load_at_start, harness.load()))

    harness.print_report(info, table(a, rows),
                         "Median of %d runs each (wall time); CPU s: user+sys (median); peak RSS: median of the "
                         "process's max RSS. Ratios < 1: the new binary is faster / smaller." % a.runs)
    if differences:
        print("Outputs DIFFER (%d differences), e.g.:\n%s" % (len(differences), "\n".join(differences[:10])))
    else:
        print("Outputs byte-identical: %d files." % files)
    print("No-change rebuilds: %s" % ("; ".join(rebuild_problems[:5]) if rebuild_problems else "nothing written"))
    with open(os.path.join(a.work, "ab-results.jsonl"), "a") as f:
        f.write(json.dumps({"info": info, "rows": rows, "identical": not differences, "files": files,
                            "differences": differences[:100], "rebuild_problems": rebuild_problems}) + "\n")
    if differences or rebuild_problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
