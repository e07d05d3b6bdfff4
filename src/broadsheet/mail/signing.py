"""DKIM signatures (dkimpy) that sign the unsubscribe headers too.

Mailbox providers act on `List-Unsubscribe` only when a DKIM signature
covers it and `List-Unsubscribe-Post` (RFC 8058), so both are signed with
`From`, `To`, `Subject`, `Date`, `Message-ID` and `List-Id`.

dkimpy's own `sign()` stamps the signature with the clock (`t=`), which
would make a dry run's `.eml` differ from the message sent a minute later.
The signature here is dated by the run instead (the same date as the
message's `Date:`), so the same inputs give the same bytes; the signing
itself is dkimpy's (its header folding and RSA code), through the
`DKIM.gen_header` step that its `sign()` ends with.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

import dkim
from dkim.canonicalization import CanonicalizationPolicy
from dkim.crypto import parse_pem_private_key

SIGNED = (
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"reply-to",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
)


OVERSIGNED = (b"from", b"to", b"subject", b"list-unsubscribe", b"list-unsubscribe-post")


class KeyProblem(ValueError):
    """The private key cannot be read or used."""


@dataclass(frozen=True)
class Signer:
    selector: str
    domain: str
    key: bytes  # PEM

    def check(self) -> None:
        """Refuse a key that is not an RSA key in PEM, before anything is sent."""
        try:
            parse_pem_private_key(self.key)
        except Exception as exc:  # dkimpy raises several kinds for a bad key
            raise KeyProblem(f"not an RSA private key in PEM form ({exc})") from None

    def sign(self, message: bytes, date: dt.datetime) -> bytes:
        """`message` with a DKIM-Signature header in front."""
        signer = dkim.DKIM(message, linesep=b"\r\n")
        signer.signature_algorithm = b"rsa-sha256"
        signer.hasher = dkim.HASH_ALGORITHMS[b"rsa-sha256"]
        policy = CanonicalizationPolicy.from_c_value(b"relaxed/relaxed")
        present = {name.lower() for name, _ in signer.headers}
        headers = tuple(name for name in SIGNED if name in present)
        # Named twice ("oversigned"), these also sign that there is no second
        # one: a relay adding another From or List-Unsubscribe breaks the signature.
        headers += tuple(name for name in OVERSIGNED if name in present)
        body_hash = signer.hasher()
        body_hash.update(policy.canonicalize_body(signer.body))
        fields = [
            (b"v", b"1"),
            (b"a", b"rsa-sha256"),
            (b"c", policy.to_c_value()),
            (b"d", self.domain.encode("ascii")),
            (b"q", b"dns/txt"),
            (b"s", self.selector.encode("ascii")),
            (b"t", str(int(date.timestamp())).encode("ascii")),
            (b"h", b" : ".join(headers)),
            (b"bh", base64.b64encode(body_hash.digest())),
            (b"b", b"0" * 60),  # folds b= onto its own line, as dkimpy does
        ]
        key = parse_pem_private_key(self.key)
        value = signer.gen_header(fields, headers, policy, b"DKIM-Signature", key)
        return b"DKIM-Signature: " + value + message
