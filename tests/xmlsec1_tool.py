"""Drive the ``xmlsec1`` command line tool: an independent XML-DSig implementation (libxmlsec1
on OpenSSL) for interoperability tests of ``datenspiegel.signing``.

``xmlsec1`` is installed by ``.ci/run`` in CI. Tests using it are marked ``xmlsec1`` and call
``require_xmlsec1()``: outside CI a missing tool skips them with a message, in CI it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

__all__ = [
    "DS",
    "Xmlsec1Result",
    "require_xmlsec1",
    "signature_template",
    "xmlsec1_available",
    "xmlsec1_sign",
    "xmlsec1_verify",
    "xmlsec1_verify_result",
]

DS = "http://www.w3.org/2000/09/xmldsig#"
_ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
_EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_TIMEOUT = 60


@dataclass(frozen=True, slots=True)
class Xmlsec1Result:
    ok: bool
    returncode: int
    output: str


def _binary() -> str | None:
    return shutil.which("xmlsec1")


def xmlsec1_available() -> bool:
    return _binary() is not None


def require_xmlsec1() -> None:
    """Skip (outside CI) or fail (in CI) when the tool is missing."""
    import pytest

    if xmlsec1_available():
        return
    message = (
        "xmlsec1 is not installed; install it (Debian/Ubuntu: apt-get install xmlsec1) to run "
        "the XML-DSig interoperability tests — .ci/run does this in CI"
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:  # as tests/conftest.py
        pytest.fail(message)
    pytest.skip(message)


def signature_template(
    *,
    signature_method: str = _ECDSA_SHA256,
    digest_method: str = _SHA256,
    c14n_method: str = _EXC_C14N,
) -> etree._Element:
    """An empty enveloped ``ds:Signature`` over ``URI=""`` for ``xmlsec1 --sign`` to fill."""
    ns = f"{{{DS}}}"
    signature = etree.Element(ns + "Signature", nsmap={"ds": DS})
    signed_info = etree.SubElement(signature, ns + "SignedInfo")
    etree.SubElement(signed_info, ns + "CanonicalizationMethod", Algorithm=c14n_method)
    etree.SubElement(signed_info, ns + "SignatureMethod", Algorithm=signature_method)
    reference = etree.SubElement(signed_info, ns + "Reference", URI="")
    transforms = etree.SubElement(reference, ns + "Transforms")
    etree.SubElement(transforms, ns + "Transform", Algorithm=_ENVELOPED)
    etree.SubElement(transforms, ns + "Transform", Algorithm=_EXC_C14N)
    etree.SubElement(reference, ns + "DigestMethod", Algorithm=digest_method)
    etree.SubElement(reference, ns + "DigestValue")
    etree.SubElement(signature, ns + "SignatureValue")
    key_info = etree.SubElement(signature, ns + "KeyInfo")
    etree.SubElement(key_info, ns + "X509Data")  # xmlsec1 puts the certificate here
    return signature


def _run(arguments: list[str]) -> Xmlsec1Result:
    binary = _binary()
    if binary is None:
        raise RuntimeError("xmlsec1 is not installed")
    completed = subprocess.run(
        [binary, *arguments], capture_output=True, text=True, timeout=_TIMEOUT, check=False
    )
    output = (completed.stdout + completed.stderr).strip()
    return Xmlsec1Result(
        ok=completed.returncode == 0, returncode=completed.returncode, output=output
    )


def xmlsec1_sign(
    document: bytes,
    key_pem: Path,
    cert_pem: Path,
    *,
    signature_method: str = _ECDSA_SHA256,
    digest_method: str = _SHA256,
) -> bytes:
    """Sign ``document`` with ``xmlsec1 --sign --privkey-pem key,cert``.

    A template (exclusive C14N, ecdsa-sha256 and sha256 by default, KeyInfo/X509Data) is
    appended as last child of the document element; xmlsec1 fills in digest, value and cert.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(document, parser=parser)
    root.append(signature_template(signature_method=signature_method, digest_method=digest_method))
    with tempfile.TemporaryDirectory(prefix="xmlsec1-") as tmp:
        template = Path(tmp) / "template.xml"
        signed = Path(tmp) / "signed.xml"
        template.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        result = _run(
            [
                "--sign",
                "--privkey-pem",
                f"{key_pem},{cert_pem}",
                "--output",
                str(signed),
                str(template),
            ]
        )
        if not result.ok:
            raise RuntimeError(f"xmlsec1 --sign failed ({result.returncode}): {result.output}")
        return signed.read_bytes()


def xmlsec1_verify_result(
    document: bytes, *, ca_pem: Path | None = None, cert_pem: Path | None = None
) -> Xmlsec1Result:
    """Verify with xmlsec1: against a CA (chain from KeyInfo) or a known signer certificate.

    Only ``URI=""`` references are enabled, as in our own verifier.
    """
    if (ca_pem is None) == (cert_pem is None):
        raise ValueError("pass exactly one of ca_pem and cert_pem")
    with tempfile.TemporaryDirectory(prefix="xmlsec1-") as tmp:
        path = Path(tmp) / "document.xml"
        path.write_bytes(document)
        arguments = ["--verify", "--enabled-reference-uris", "empty"]
        if ca_pem is not None:
            arguments += ["--trusted-pem", str(ca_pem)]
        else:
            # key-name only: ignore the certificate in KeyInfo and use exactly this one.
            arguments += ["--pubkey-cert-pem", str(cert_pem), "--enabled-key-data", "key-name"]
        return _run([*arguments, str(path)])


def xmlsec1_verify(
    document: bytes, *, ca_pem: Path | None = None, cert_pem: Path | None = None
) -> bool:
    """True when xmlsec1 accepts the signature; its output is in ``xmlsec1_verify_result``."""
    return xmlsec1_verify_result(document, ca_pem=ca_pem, cert_pem=cert_pem).ok
