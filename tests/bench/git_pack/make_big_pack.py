#!/usr/bin/env python3
"""Builds the big packed repository of docs/benchmarks.md ("The big pack", issue 14) for measuring
cairn-scan's memory on a first scan: 1,200 commits by one author over 85 days ending now, 80 text
files of ~32 KB with 3 changed per commit, 30 random 400 KB blobs, all through `git fast-import`,
then `git repack -adf --window=20 --depth=50` (one pack, old blobs deep in delta chains).
Deterministic apart from the end date. Usage: make_big_pack.py DIR [EMAIL]; also writes
DIR.request-{90,30,5}.json, first scans for `cairn-scan < REQUEST`. For an incremental scan, set
the request's "state" to "cairn-git-state 1\n<id of HEAD~3>\n" (3 new commits)."""
import os, random, subprocess, sys, time, json

COMMITS, DAYS, FILES, CHANGED, BIG, BIG_BYTES = 1200, 85, 80, 3, 30, 400 * 1024

WORDS = []

def line(rng):  # source-like text from a 4,000-word vocabulary: compresses about as well as code
    if not WORDS:
        words = random.Random(7)
        WORDS.extend("".join(words.choice("abcdefghijklmnopqrstuvwxyz_") for _ in range(words.randint(3, 12)))
                     for _ in range(4000))
    return "    " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))) + ";\n"

def main():
    target, email = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "me@corp.example")
    rng = random.Random(14)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    subprocess.run(["git", "init", "-q", "-b", "main", target], check=True, env=env)
    files = {f"src/dir{i % 8}/file{i:02d}.txt": [line(rng) for _ in range(600)] for i in range(FILES)}  # ~32 KB
    end = int(time.time()) - 3600
    start = end - DAYS * 86400
    fi = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=target, stdin=subprocess.PIPE, env=env)
    out = fi.stdin
    def data(b):
        out.write(b"data %d\n" % len(b)); out.write(b); out.write(b"\n")
    for c in range(COMMITS):
        ts = start + (end - start) * c // (COMMITS - 1)
        out.write(b"commit refs/heads/main\n")
        out.write(b"author Me <%s> %d +0000\ncommitter Me <%s> %d +0000\n" % (email.encode(), ts, email.encode(), ts))
        data(b"commit %d\n" % c)
        if c == 0:
            names = list(files)
        else:
            names = rng.sample(sorted(files), CHANGED)
            for n in names:  # a few lines changed, added, removed
                lines = files[n]
                for _ in range(rng.randint(2, 12)):
                    lines[rng.randrange(len(lines))] = line(rng)
                for _ in range(rng.randint(0, 8)):
                    lines.insert(rng.randrange(len(lines)), line(rng))
                for _ in range(rng.randint(0, 8)):
                    del lines[rng.randrange(len(lines))]
        for n in names:
            out.write(b"M 100644 inline %s\n" % n.encode())
            data("".join(files[n]).encode())
        if c % (COMMITS // BIG) == COMMITS // BIG // 2:
            out.write(b"M 100644 inline assets/blob%02d.bin\n" % (c // (COMMITS // BIG)))
            data(rng.randbytes(BIG_BYTES))
    out.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "repack", "-adfq", "--window=20", "--depth=50"], cwd=target, check=True, env=env)
    subprocess.run(["git", "prune-packed"], cwd=target, check=True, env=env)
    now = int(time.time())
    for days in (90, 30, 5):
        req = {"version": 1, "emails": [email], "since": now - days * 86400,
               "git": [{"path": os.path.abspath(target), "label": "big", "state": ""}]}
        with open(f"{target}.request-{days}.json", "w") as f:
            json.dump(req, f)

if __name__ == "__main__":
    main()
