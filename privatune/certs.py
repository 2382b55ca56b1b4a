"""`privatune certs ...`: the keys and certificates a Flower deployment needs, made with `cryptography`.

    privatune certs ca     --out certs/                      → ca.crt, ca.key (the federation's own CA)
    privatune certs server --out certs/ --host superlink.example.org [--host 10.0.0.5]
                                                             → server.pem, server.key (signed by ca.key)
    privatune certs node   --out certs/nodes --name hospital-a
                                                             → hospital-a (private), hospital-a.pub

The SuperLink serves TLS with ca.crt/server.pem/server.key (`--ssl-ca-certfile --ssl-certfile
--ssl-keyfile`); SuperNodes and the `flwr` CLI trust ca.crt (`--root-certificates`). Node keys are ECDSA
P-384 in OpenSSH format, the format Flower's SuperNode authentication reads
(`flower-supernode --auth-supernode-private-key`, `flwr supernode register hospital-a.pub`).
Private keys are written with mode 0600 and never overwritten unless --force. See docs/deploy.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CURVE = ec.SECP384R1()


def _write(path: Path, data: bytes, private: bool, force: bool) -> Path:
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass --force to replace it (this invalidates what it signed)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600 if private else 0o644)  # also when replacing a file with looser permissions
    return path


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "privatune federation"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _validity(builder: x509.CertificateBuilder, days: int) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.timezone.utc)
    return builder.not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))


def create_ca(out: Path, name: str = "privatune federation CA", days: int = 3650,
              force: bool = False) -> tuple[Path, Path]:
    """Self-signed CA certificate and key: out/ca.crt, out/ca.key."""
    key = ec.generate_private_key(CURVE)
    builder = x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
    builder = _validity(builder.public_key(key.public_key()).serial_number(x509.random_serial_number()), days)
    cert = (builder
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA384()))
    key_path = _write(out / "ca.key", _pem_key(key), private=True, force=force)
    return _write(out / "ca.crt", cert.public_bytes(serialization.Encoding.PEM), False, force), key_path


def _load_ca(ca_dir: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    try:
        cert = x509.load_pem_x509_certificate((ca_dir / "ca.crt").read_bytes())
        key = serialization.load_pem_private_key((ca_dir / "ca.key").read_bytes(), password=None)
    except FileNotFoundError as err:
        raise FileNotFoundError(f"{err.filename} not found; create the CA first: privatune certs ca --out {ca_dir}") from err
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{ca_dir / 'ca.key'}: expected an EC private key made by `privatune certs ca`")
    return cert, key


def _subject_alt_names(hosts: list[str]) -> x509.SubjectAlternativeName:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return x509.SubjectAlternativeName(names)


def create_server_cert(out: Path, hosts: list[str], ca_dir: Path, days: int = 825,
                       force: bool = False) -> tuple[Path, Path]:
    """SuperLink TLS certificate for `hosts` (DNS names or IPs), signed by the CA: server.pem, server.key."""
    if not hosts:
        raise ValueError("give at least one --host: the name or IP address SuperNodes use to reach the SuperLink")
    ca_cert, ca_key = _load_ca(ca_dir)
    key = ec.generate_private_key(CURVE)
    builder = x509.CertificateBuilder().subject_name(_name(hosts[0])).issuer_name(ca_cert.subject)
    builder = _validity(builder.public_key(key.public_key()).serial_number(x509.random_serial_number()), days)
    cert = (builder
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_subject_alt_names(hosts), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA384()))
    key_path = _write(out / "server.key", _pem_key(key), private=True, force=force)
    return _write(out / "server.pem", cert.public_bytes(serialization.Encoding.PEM), False, force), key_path


def create_node_keys(out: Path, name: str, force: bool = False) -> tuple[Path, Path]:
    """SuperNode authentication key pair (ECDSA P-384, OpenSSH format): out/<name>, out/<name>.pub."""
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"node name {name!r} must be a plain file name, e.g. hospital-a")
    key = ec.generate_private_key(CURVE)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    private_path = _write(out / name, private, private=True, force=force)
    return private_path, _write(out / f"{name}.pub", public + f" {name}\n".encode(), False, force)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.certs_command == "ca":
            paths = create_ca(args.out, args.name, args.days, args.force)
        elif args.certs_command == "server":
            paths = create_server_cert(args.out, args.host, args.ca_dir or args.out, args.days, args.force)
        else:
            paths = create_node_keys(args.out, args.name, args.force)
    except (FileExistsError, FileNotFoundError, ValueError) as err:
        print(f"privatune certs {args.certs_command}: {err}")
        return 1
    for path in paths:
        print(f"wrote {path}")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    certs = subparsers.add_parser("certs", help="create the CA, SuperLink certificate and SuperNode keys")
    commands = certs.add_subparsers(dest="certs_command", required=True)
    ca = commands.add_parser("ca", help="create the federation's certificate authority (ca.crt, ca.key)")
    ca.add_argument("--name", default="privatune federation CA", help="CA common name")
    ca.add_argument("--days", type=int, default=3650)
    server = commands.add_parser("server", help="create the SuperLink TLS certificate (server.pem, server.key)")
    server.add_argument("--host", action="append", default=[], required=True,
                        help="DNS name or IP address of the SuperLink (repeat for several)")
    server.add_argument("--ca-dir", type=Path, help="folder holding ca.crt and ca.key (default: --out)")
    server.add_argument("--days", type=int, default=825)
    node = commands.add_parser("node", help="create a SuperNode authentication key pair (<name>, <name>.pub)")
    node.add_argument("--name", required=True, help="file name for this SuperNode's keys, e.g. hospital-a")
    for command in (ca, server, node):
        command.add_argument("--out", type=Path, required=True, help="folder to write into")
        command.add_argument("--force", action="store_true", help="replace existing files")
        command.set_defaults(func=_run)
