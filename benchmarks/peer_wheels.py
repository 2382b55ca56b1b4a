"""Slim the wheels the GPU machine gets for the benchmark's peers (a call carries at most 64 MiB).

    python benchmarks/peer_wheels.py DIR     # DIR: wheels fetched with `pip download --no-deps ...`

Drops Unsloth's web UI and CLI (`studio/`, `unsloth_cli/`: 25 MB of the 28.6 MB wheel, never
imported by `import unsloth`) and bitsandbytes' CUDA libraries other than cu130 (the machine's torch
is built for CUDA 13.0), and rewrites each RECORD to match. The list of wheels and how they were
fetched is in RESULTS.md next to the run that used them.
"""

from __future__ import annotations

import glob
import os
import re
import sys
import zipfile

DROP = {
    "unsloth-": lambda n: n.startswith(("studio/", "unsloth_cli/")),
    "bitsandbytes-": lambda n: bool(re.search(r"libbitsandbytes_(cuda|rocm)\d+", n)) and "cuda130" not in n,
}


def slim(path: str, drop) -> int:
    with zipfile.ZipFile(path) as src:
        names = src.namelist()
        dropped = {n for n in names if drop(n)}
        if not dropped:
            return 0
        tmp = path + ".tmp"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for n in names:
                if n in dropped:
                    continue
                data = src.read(n)
                if n.endswith(".dist-info/RECORD"):
                    data = b"".join(line for line in data.splitlines(True) if line.split(b",")[0].decode() not in dropped)
                dst.writestr(src.getinfo(n), data)
    os.replace(tmp, path)
    return len(dropped)


def main(folder: str) -> None:
    for prefix, drop in DROP.items():
        for path in glob.glob(os.path.join(folder, prefix + "[0-9]*.whl")):
            n = slim(path, drop)
            print(f"{os.path.basename(path)}: dropped {n} files, now {os.path.getsize(path) / 2**20:.1f} MiB")
    total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(folder, "*.whl")))
    print(f"{folder}: {total / 2**20:.1f} MiB of wheels")


if __name__ == "__main__":
    main(sys.argv[1])
