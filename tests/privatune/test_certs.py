"""`privatune certs`: a CA, a SuperLink certificate that passes a real TLS handshake, SuperNode keys Flower reads."""

from __future__ import annotations

import argparse
import socket
import ssl
import stat
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_ssh_private_key, load_ssh_public_key
from flwr.supercore.primitives.asymmetric import public_key_to_bytes, uses_nist_ec_curve

from privatune import certs


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    certs.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    out = tmp_path_factory.mktemp("certs")
    assert _cli(["certs", "ca", "--out", str(out)]) == 0
    assert _cli(["certs", "server", "--out", str(out), "--host", "localhost", "--host", "127.0.0.1"]) == 0
    assert _cli(["certs", "node", "--out", str(out / "nodes"), "--name", "hospital-a"]) == 0
    return out


def test_private_keys_are_readable_by_the_owner_only(pki):
    for path in (pki / "ca.key", pki / "server.key", pki / "nodes" / "hospital-a"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_server_certificate_is_signed_by_the_ca_for_the_given_hosts(pki):
    ca = x509.load_pem_x509_certificate((pki / "ca.crt").read_bytes())
    server = x509.load_pem_x509_certificate((pki / "server.pem").read_bytes())
    server.verify_directly_issued_by(ca)
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]


def _handshake(pki, cafile, hostname="localhost") -> bytes:
    """Serve one TLS connection with the SuperLink certificate; connect trusting only `cafile`."""
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(pki / "server.pem", pki / "server.key")
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        conn, _ = listener.accept()
        try:
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"ok")
        except (ssl.SSLError, OSError):
            pass  # the client refused us

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        client_ctx = ssl.create_default_context(cafile=cafile)
        with socket.create_connection(listener.getsockname()) as raw, \
                client_ctx.wrap_socket(raw, server_hostname=hostname) as tls:
            return tls.recv(2)
    finally:
        thread.join(5)
        listener.close()


def test_tls_handshake_with_the_ca_as_root_verifies_the_server(pki):
    assert _handshake(pki, pki / "ca.crt") == b"ok"


def test_tls_handshake_fails_with_a_stranger_ca_or_another_host_name(pki, tmp_path):
    certs.create_ca(tmp_path)
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(pki, tmp_path / "ca.crt")
    with pytest.raises(ssl.SSLCertVerificationError, match="match"):
        _handshake(pki, pki / "ca.crt", hostname="superlink.elsewhere.org")


def test_node_keys_are_in_the_format_flower_supernode_auth_reads(pki):
    private = load_ssh_private_key((pki / "nodes" / "hospital-a").read_bytes(), None)
    public = load_ssh_public_key((pki / "nodes" / "hospital-a.pub").read_bytes())
    assert isinstance(private, ec.EllipticCurvePrivateKey) and uses_nist_ec_curve(public)
    assert public_key_to_bytes(private.public_key()) == public_key_to_bytes(public)


def test_existing_keys_are_not_overwritten_without_force(pki, capsys):
    before = (pki / "ca.key").read_bytes()
    assert _cli(["certs", "ca", "--out", str(pki)]) == 1
    assert "--force" in capsys.readouterr().out
    assert (pki / "ca.key").read_bytes() == before


def test_server_certificate_without_a_ca_says_how_to_make_one(tmp_path, capsys):
    assert _cli(["certs", "server", "--out", str(tmp_path), "--host", "x.example"]) == 1
    assert "privatune certs ca" in capsys.readouterr().out
