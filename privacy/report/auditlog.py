"""Hash-chained, Ed25519-signed audit log of a run's events (one canonical JSON object per line).

Each line holds seq, time, event, fields and `prev`, the hash of the line before; `hash` is the
SHA-256 of those five and `sig` its Ed25519 signature. Changing a line breaks its hash or signature,
removing or reordering lines breaks seq and the chain. A hash chain cannot show that its tail was
cut off, so a signed head file (`audit.log.head`) names the last seq and hash; keep a copy of it
off the machine (or the public key) when rollback by the host itself is a concern.

Fields hold counts, ids, hashes and parameters, never text from user records: strings are capped.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "privatune-auditlog/1"
GENESIS_PREV = "0" * 64
MAX_STRING = 200  # long enough for a path or hash, too short to smuggle a record
LINE_KEYS = ("seq", "time", "event", "fields", "prev", "hash", "sig")


def canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def _entry_hash(entry: dict) -> str:
    body = {k: entry[k] for k in ("seq", "time", "event", "fields", "prev")}
    return hashlib.sha256(canonical(body).encode("ascii")).hexdigest()


def _head_message(seq: int, last_hash: str) -> bytes:
    return f"{FORMAT} head {seq} {last_hash}".encode("ascii")


def head_path(log_path: str | os.PathLike) -> Path:
    return Path(str(log_path) + ".head")


def public_key_path(log_path: str | os.PathLike) -> Path:
    return Path(str(log_path) + ".pub")


def fingerprint(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_or_create_signing_key(path: str | os.PathLike) -> Ed25519PrivateKey:
    """The server's Ed25519 key (PEM, PKCS#8); created with mode 0600 when missing."""
    path = Path(path)
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key; point at the run's signing key or a new path")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return key


def load_public_key(path: str | os.PathLike) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path}: not an Ed25519 public key")
    return key


def _check_value(value, where: str) -> None:
    if value is None or isinstance(value, (bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"audit log field {where}: {value} is not finite")
        return
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise ValueError(
                f"audit log field {where}: string of {len(value)} chars (max {MAX_STRING}); log counts, "
                "ids and hashes, never record text"
            )
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_value(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"audit log field {where}: keys must be strings, got {key!r}")
            _check_value(item, f"{where}.{key}")
        return
    raise ValueError(f"audit log field {where}: {type(value).__name__} is not JSON (use numbers, strings, lists, dicts)")


class AuditLog:
    """Append-only writer. `AuditLog(path, signing_key_path).append("round-done", round=3, clients=5)`."""

    def __init__(self, path: str | os.PathLike, signing_key_path: str | os.PathLike):
        self.path = Path(path)
        self._key = load_or_create_signing_key(signing_key_path)
        public = self._key.public_key()
        pub_file = public_key_path(self.path)
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        if self.path.exists() and self.path.stat().st_size > 0:
            if pub_file.exists() and fingerprint(load_public_key(pub_file)) != fingerprint(public):
                raise ValueError(f"{self.path}: was signed with another key ({pub_file}); use that run's signing key")
            self._seq, self._last_hash = self._read_tail()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            pub_file.write_bytes(pem)
            self._seq, self._last_hash = -1, GENESIS_PREV
            self.append("log-opened", format=FORMAT, public_key=public.public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex())

    def _read_tail(self) -> tuple[int, str]:
        last = self.path.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1]
        try:
            entry = json.loads(last)
            return int(entry["seq"]), str(entry["hash"])
        except (ValueError, KeyError) as e:
            raise ValueError(f"{self.path}: last line is not a log entry ({e}); run `privatune report verify`") from None

    def append(self, event: str, **fields) -> dict:
        if not isinstance(event, str) or not 0 < len(event) <= 64:
            raise ValueError(f"audit log event name must be a string of 1..64 chars, got {event!r}")
        _check_value(fields, "fields")
        entry = {
            "seq": self._seq + 1,
            "time": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
            "event": event,
            "fields": json.loads(canonical(fields)),  # tuples → lists, as a reader will see them
            "prev": self._last_hash,
        }
        entry["hash"] = _entry_hash(entry)
        entry["sig"] = self._key.sign(bytes.fromhex(entry["hash"])).hex()
        with self.path.open("a", encoding="ascii") as f:
            f.write(canonical(entry) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self._seq, self._last_hash = entry["seq"], entry["hash"]
        self._write_head()
        return entry

    def _write_head(self) -> None:
        head = {"seq": self._seq, "hash": self._last_hash,
                "sig": self._key.sign(_head_message(self._seq, self._last_hash)).hex()}
        tmp = head_path(self.path).with_suffix(".tmp")
        tmp.write_text(canonical(head) + "\n", encoding="ascii")
        os.replace(tmp, head_path(self.path))


@dataclass
class Verification:
    ok: bool
    entries: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fingerprint: str | None = None


def _verify_line(number: int, line: str, prev_hash: str, key: Ed25519PublicKey) -> tuple[dict | None, str | None]:
    try:
        entry = json.loads(line)
    except ValueError:
        return None, f"line {number}: not JSON"
    if not isinstance(entry, dict) or sorted(entry) != sorted(LINE_KEYS):
        return None, f"line {number}: keys must be exactly {', '.join(LINE_KEYS)}"
    if canonical(entry) != line:
        return entry, f"line {number}: not in canonical form (the line was edited)"
    if entry["seq"] != number - 1:
        return entry, f"line {number}: seq {entry['seq']} where {number - 1} was expected (line removed or moved)"
    if entry["prev"] != prev_hash:
        return entry, f"line {number}: does not chain to the line before (line removed, moved or changed)"
    if _entry_hash(entry) != entry["hash"]:
        return entry, f"line {number}: hash does not match its content (line changed)"
    try:
        key.verify(bytes.fromhex(entry["sig"]), bytes.fromhex(entry["hash"]))
    except (InvalidSignature, ValueError):
        return entry, f"line {number}: bad signature"
    return entry, None


def verify(path: str | os.PathLike, public_key: Ed25519PublicKey | None = None) -> Verification:
    """Check chain, every signature and the signed head; pass `public_key` to pin the signer."""
    path = Path(path)
    if not path.exists():
        return Verification(False, errors=[f"{path}: no audit log"])
    pub_file = public_key_path(path)
    if public_key is None:
        if not pub_file.exists():
            return Verification(False, errors=[f"{pub_file}: no public key; pass one with --public-key"])
        public_key = load_public_key(pub_file)
    result = Verification(True, fingerprint=fingerprint(public_key))
    lines = path.read_text(encoding="ascii", errors="replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    prev = GENESIS_PREV
    for number, line in enumerate(lines, start=1):
        entry, error = _verify_line(number, line, prev, public_key)
        if error:
            result.errors.append(error)
        if entry is not None:
            result.entries.append(entry)
            prev = entry.get("hash", prev)
    _check_genesis(result, public_key)
    _check_head(path, result, lines, public_key)
    result.ok = not result.errors
    return result


def _check_genesis(result: Verification, key: Ed25519PublicKey) -> None:
    if not result.entries or result.entries[0].get("event") != "log-opened":
        result.errors.append("line 1: the log must open with a 'log-opened' entry (first line removed?)")
        return
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    if result.entries[0].get("fields", {}).get("public_key") != raw:
        result.errors.append("line 1: the log was opened under another public key")


def _check_head(path: Path, result: Verification, lines: list[str], key: Ed25519PublicKey) -> None:
    head_file = head_path(path)
    if not head_file.exists():
        result.errors.append(f"{head_file}: missing (cannot tell whether the end of the log was cut off)")
        return
    try:
        head = json.loads(head_file.read_text(encoding="ascii"))
        key.verify(bytes.fromhex(head["sig"]), _head_message(int(head["seq"]), str(head["hash"])))
    except (ValueError, KeyError, TypeError, InvalidSignature):
        result.errors.append(f"{head_file}: unreadable or bad signature")
        return
    last = result.entries[-1] if result.entries else {}
    if head["seq"] != len(lines) - 1 or head["hash"] != last.get("hash"):
        result.errors.append(
            f"{head_file}: names entry {head['seq']} but the log ends at line {len(lines)} (lines removed or added at the end)"
        )
