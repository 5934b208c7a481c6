#!/usr/bin/env python3
"""Scale benchmark of the real WeMi theme: does a clean build grow in step with the site?

    python3 benches/theme_scale.py [--sizes 1000,2000,4000,8000] [--runs 3] [--work DIR]
                                   [--wemi PATH] [--floor PATH] [--no-build]

The other benchmarks build a corpus with a minimal theme (benches/site), the same templates as
Hugo's; what a real theme does per page is not in them. This one builds this repository's own
site (site.yaml, themes/wemi, data/, static/) grown to each size: the news and space pages of
content/ are copied under new file names (`<name>-<k>.md`, with their English versions), so
that every listing, taxonomy, map and open-data file the theme makes grows with the site.

For each size (in <work>/n<SIZE>, default work dir /dev/shm/wemi-theme-scale, a tmpfs), after an
untimed build whose output becomes the floor's reference, it times clean builds alternating
with the floor (benches/floor.rs, as compare.py: walk, read, markdown, write the same bytes),
--runs each. It prints a markdown table: pages, files written, median wall time, time per page,
wemi/floor, and the growth from the size before, as the ratio of times over the ratio of sizes
(1.00: time in step with the site; 2.00 at a doubling: time growing with its square).

Stdlib only.
"""
import argparse
import glob
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import log  # noqa: E402

# What the real site's build reads besides content/ (content/ is copied and grown).
SITE_PARTS = ("site.yaml", "themes", "data", "static", "templates", "i18n")
# The sections that grow, and each one's share of the pages added.
GROWN = (("notizie", 0.75), ("spazi", 0.25))


def grown_site(root, pages):
    """The real site at `root` with about `pages` pages: its content/, plus copies of its news and
    space pages (each with its English version, if any) up to each section's share."""
    harness.remove(root)
    os.makedirs(root)
    for part in SITE_PARTS:
        source = os.path.join(harness.REPO, part)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(root, part))
        elif os.path.isfile(source):
            shutil.copy2(source, os.path.join(root, part))
    shutil.copytree(os.path.join(harness.REPO, "content"), os.path.join(root, "content"))
    for section, share in GROWN:
        folder = os.path.join(harness.REPO, "content", section)
        originals = sorted(p for p in glob.glob(os.path.join(folder, "*.md"))
                           if not os.path.basename(p).startswith("_") and not p.endswith(".en.md"))
        copies = int(pages * share) // max(len(originals), 1)
        for path in originals:
            stem = os.path.basename(path)[:-len(".md")]
            english = path[:-len(".md")] + ".en.md"
            for k in range(copies):
                target = os.path.join(root, "content", section, "%s-%d" % (stem, k))
                shutil.copy2(path, target + ".md")
                if os.path.isfile(english):
                    shutil.copy2(english, target + ".en.md")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="1000,2000,4000,8000")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", default="/dev/shm/wemi-theme-scale")
    p.add_argument("--wemi", help="the wemi binary (default target/release/wemi, built first)")
    p.add_argument("--floor", help="the floor binary (default target/release/examples/floor, built first)")
    p.add_argument("--no-build", action="store_true", help="use target/release as it is")
    p.add_argument("--timeout", type=float, default=1800)
    a = p.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    os.makedirs(a.work, exist_ok=True)
    wemi = harness.pin(harness.wemi_binary(a.wemi, a.no_build, "theme_scale"), a.work, "wemi")
    floor = harness.pin(harness.floor_binary(a.floor, a.no_build, "theme_scale"), a.work, "floor")
    rows = []
    for n in sizes:
        base = os.path.join(a.work, "n%d" % n)
        site, floor_dir = os.path.join(base, "site"), os.path.join(base, "floor")
        log("%d pages: making the site" % n)
        grown_site(site, n)
        harness.remove(floor_dir)
        os.makedirs(floor_dir)
        log("%d pages: wemi build for the floor's reference (untimed)" % n)
        run = harness.run_timed([wemi, "build", "--root", site], site, a.timeout, "wemi build")
        pages = int(re.search(r"Built (\d+) pages", run["stdout"]).group(1))
        reference = os.path.join(floor_dir, "reference")
        os.rename(os.path.join(site, "public"), reference)
        files = sum(len(names) for _, _, names in os.walk(reference))
        runs = {"wemi": [], "floor": []}
        for i in range(a.runs):
            for tool in ("wemi", "floor") if i % 2 == 0 else ("floor", "wemi"):
                log("%d pages: %s clean build %d/%d" % (n, tool, i + 1, a.runs))
                if tool == "wemi":
                    harness.remove(os.path.join(site, "public"), os.path.join(site, ".wemi"))
                    os.sync()
                    runs[tool].append(harness.run_timed([wemi, "build", "--root", site], site,
                                                        a.timeout, "wemi build"))
                else:
                    harness.remove(os.path.join(floor_dir, "public"))
                    os.sync()
                    cmd = [floor, os.path.join(site, "content"), reference,
                           os.path.join(floor_dir, "public")]
                    runs[tool].append(harness.floor_own_times(
                        harness.run_timed(cmd, floor_dir, a.timeout, "floor")))
        rows.append((pages, files, harness.stats(runs["wemi"]), harness.stats(runs["floor"])))
        harness.remove(base)
    print("| pages | files | wemi s | ms a page | wemi/floor | growth |")
    print("|---:|---:|---:|---:|---:|---:|")
    for i, (pages, files, wemi_stats, floor_stats) in enumerate(rows):
        wall = wemi_stats["wall_median_s"]
        growth = "–"
        if i:
            before_pages, _, before, _ = rows[i - 1]
            growth = "%.2f" % ((wall / before["wall_median_s"]) / (pages / before_pages))
        print("| %s | %s | %.3f | %.3f | %.2f | %s |" % (
            format(pages, ","), format(files, ","), wall, wall * 1000 / pages,
            wall / floor_stats["wall_median_s"], growth))
    print("\nMedian of %d runs each, clean builds on %s; growth: time ratio over size ratio "
          "to the size before (1.00 = in step with the site)." % (a.runs, harness.fs_type(a.work)))


if __name__ == "__main__":
    main()
