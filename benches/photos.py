#!/usr/bin/env python3
"""What resized images cost: a site of N photos (2000 x 1500 JPEGs, one per page, shown with the
WeMi theme's `figura`, which asks for 4 WebP widths of each), built by a release wemi.

    python3 benches/photos.py [--photos 200] [--out DIR] [--wemi BINARY] [--runs 3] [--reuse]

Builds `target/release/wemi` (--wemi gives another binary) and the example `photo_site`
(benches/images/photo_site.rs, in a debug build: it writes the site, 200 photos in a few minutes;
--reuse times the site already in --out instead), then times, best of --runs:

cold    no public/ and no .wemi/: every version decoded, resized and encoded
cached  no public/, .wemi/images/ kept: the versions copied from the cache
edited  one page's text changed: the site rendered again, no image work
nothing nothing changed: the build stops after comparing fingerprints

and prints each with the line wemi writes about images. Stdlib only.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def timed_build(wemi, site):
    start = time.perf_counter()
    out = run([wemi, "build", "--root", site])
    elapsed = time.perf_counter() - start
    images = [l for l in out.stdout.splitlines() if l.startswith("Resized images")]
    return elapsed, images[0] if images else "(no image line: nothing built)"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--out", default="/dev/shm/wemi-photos" if os.path.isdir("/dev/shm") else None)
    parser.add_argument("--wemi")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="time the site already in --out")
    args = parser.parse_args()
    out = args.out or os.path.join(REPO, "target", "wemi-photos")
    wemi = args.wemi
    if not wemi:
        run(["cargo", "build", "--release", "--locked", "--bin", "wemi"], cwd=REPO)
        wemi = os.path.join(REPO, "target", "release", "wemi")
    # A debug build is quick enough to write the photos and needs no release build of the
    # test dependencies (an example is built with them).
    run(["cargo", "build", "--locked", "--example", "photo_site"], cwd=REPO)
    generator = os.path.join(REPO, "target", "debug", "examples", "photo_site")
    if not args.reuse:
        if os.path.exists(out):
            shutil.rmtree(out)
        written = json.loads(run([generator, out, str(args.photos)]).stdout)
        print(f"{written['photos']} photos of {written['width']}x{written['height']}, "
              f"{written['jpeg_bytes'] / 1e6:.0f} MB of JPEG in {out}")

    public, cache = os.path.join(out, "public"), os.path.join(out, ".wemi")
    page = os.path.join(out, "content", "notizie", "foto-000", "index.md")
    cases = {
        "cold": lambda: [shutil.rmtree(p, ignore_errors=True) for p in (public, cache)],
        "cached": lambda: shutil.rmtree(public, ignore_errors=True),
        "edited": lambda: open(page, "a").write("\nUna riga in più.\n"),
        "nothing": lambda: None,
    }
    for name, prepare in cases.items():
        best = None
        for _ in range(args.runs):
            prepare()
            elapsed, line = timed_build(wemi, out)
            best = elapsed if best is None else min(best, elapsed)
        print(f"{name:8} {best:7.2f} s   {line}")
    versions = sum(1 for f in os.listdir(os.path.join(cache, "images")) if f.endswith(".webp"))
    size = sum(os.path.getsize(os.path.join(cache, "images", f)) for f in os.listdir(os.path.join(cache, "images")))
    print(f"{versions} WebP versions, {size / 1e6:.1f} MB in .wemi/images/")


if __name__ == "__main__":
    sys.exit(main())
