"""2D-Doc signatures for tests: a certificate and an ECDSA signature made here, with a key
generated for the test (no certificate of anyone else is kept in the repository)."""

from __future__ import annotations

import base64
import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID


def sign(
    message: str, key: ec.EllipticCurvePrivateKey, size: int, algorithm: hashes.HashAlgorithm
) -> str:
    """The base32 signature (r‖s, ``size`` bytes each) that a 2D-Doc carries after US."""
    r, s = decode_dss_signature(key.sign(message.encode("ascii"), ec.ECDSA(algorithm)))
    raw = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def certificate(
    key: ec.EllipticCurvePrivateKey, common_name: str, authority: str = "FR05"
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, authority)]))
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
