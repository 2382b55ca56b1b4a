"""SHA-256 of files and directory trees (a base model, an adapter) for the report and the audit log."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_CHUNK = 1 << 20


def sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_tree(path: str | os.PathLike) -> str:
    """One hash over every file below `path`: sorted relative paths with each file's SHA-256.

    A single file hashes as itself, so a model given as one file and as a folder both work.
    """
    root = Path(path)
    if root.is_file():
        return sha256_file(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such file or directory to hash")
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(f"{file.relative_to(root).as_posix()}\0{sha256_file(file)}\n".encode("utf-8"))
    return digest.hexdigest()
