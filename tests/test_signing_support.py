"""Shared material for the signing tests: a sample XÖV-like message and a test PKI.

The PKI is generated once per test process (RSA key generation is the slow part) in a
temporary directory; the helpers here are plain functions so the other ``test_signing_*``
modules can import them without fixture tricks.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConstructionMethod,
    SignatureMethod,
    XMLSigner,
)

from datenspiegel.signing import (
    CertificateProfile,
    DevelopmentPki,
    IssuedCertificate,
    KeyKind,
    MessageSigner,
    MessageVerifier,
    SignatureAlgorithm,
    SigningIdentity,
    TrustStore,
    create_development_pki,
    issue_certificate,
    revoke,
)
from datenspiegel.signing.pki import generate_private_key

DS = "http://www.w3.org/2000/09/xmldsig#"
XMELD = "urn:xoev-de:xmeld:datenabruf:2.6"
XOEV = "http://xoev.de/schemata/basisdatentypen/1_1"

# A 1330 Personensuche request shaped like XMeld: default namespace for the message, a prefixed
# namespace for codes, an unused declaration (exclusive C14N must drop it), non-ASCII names
# (DIN 91379: umlaut, sharp s, a combining diaeresis), attributes with listURI/listVersionID.
_SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<datenabruf.personensuche.suchanfrage.1330 xmlns="{xmeld}" xmlns:xoev="{xoev}"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" produkt="Fachverfahren Test"
    produkthersteller="Beispiel GmbH" standard="XMeld" version="2.6">
  <nachrichtenkopf.g2g>
    <identifikation.nachricht>
      <nachrichtenUUID>3f1c2b9e-8a4d-4c6e-9b1f-2d7e5a6c8b90</nachrichtenUUID>
      <nachrichtentyp><xoev:code listURI="urn:xoev-de:xmeld:codeliste:nachrichtentyp"
          listVersionID="1">1330</xoev:code></nachrichtentyp>
      <erstellungszeitpunkt>2026-03-02T09:15:27.123+01:00</erstellungszeitpunkt>
    </identifikation.nachricht>
    <leser>
      <verzeichnisdienst><xoev:code listURI="urn:de:xta:codeliste:verzeichnisdienst"
          listVersionID="1">DVDV</xoev:code></verzeichnisdienst>
      <kennung>ags:03241001</kennung>
      <name>Landeshauptstadt Hannover</name>
    </leser>
    <autor>
      <verzeichnisdienst><xoev:code listURI="urn:de:xta:codeliste:verzeichnisdienst"
          listVersionID="1">DVDV</xoev:code></verzeichnisdienst>
      <kennung>dbs:polizei-nds-0815</kennung>
      <name>Polizeidirektion Göttingen</name>
    </autor>
  </nachrichtenkopf.g2g>
  <anfragendeStelle>
    <behoerde>Polizeidirektion Göttingen, Zentraler Kriminaldienst</behoerde>
    <anschrift><strasse>Groner Landstraße</strasse><hausnummer>51</hausnummer>
      <postleitzahl>37081</postleitzahl><ort>Göttingen</ort></anschrift>
    <telefon>+49 551 491-0</telefon>
    <email>poststelle@pd-goe.polizei.niedersachsen.de</email>
    <aktenzeichen>ZKD 4 - 1234/26</aktenzeichen>
    <anlass>Ermittlungsverfahren wegen Betruges, Aufenthaltsermittlung</anlass>
    <kennungAnfragenderPerson>KOK Weiß</kennungAnfragenderPerson>
  </anfragendeStelle>
  <sicherheitsbehoerde>true</sicherheitsbehoerde>
  <verzichtAufMitteilung>false</verzichtAufMitteilung>
  <auswahldaten>
    <name><familienname>Müller-Lüdenscheidt</familienname>
      <vornamen>Hans Jürgen</vornamen></name>
    <geburtsdatum><jahr>1970</jahr><monat>07</monat><tag>14</tag></geburtsdatum>
    <geburtsort>Bad Münder am Deister</geburtsort>
    <wohnort><gemeindeschluessel><xoev:code
        listURI="urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:ags"
        listVersionID="2026-01-31">03241001</xoev:code></gemeindeschluessel>
      <strasse>Straße des 17. Juni</strasse><hausnummer>12</hausnummer></wohnort>
    <geschlecht><xoev:code listURI="urn:xoev-de:xmeld:codeliste:geschlecht"
        listVersionID="1">m</xoev:code></geschlecht>
    <phonetischeSuche>false</phonetischeSuche>
  </auswahldaten>
  <anforderungselemente>
    <xoev:code listURI="urn:xoev-de:xmeld:codeliste:anforderungselement"
        listVersionID="2">0101</xoev:code>
    <xoev:code listURI="urn:xoev-de:xmeld:codeliste:anforderungselement"
        listVersionID="2">0102</xoev:code>
    <xoev:code listURI="urn:xoev-de:xmeld:codeliste:anforderungselement"
        listVersionID="2">0110</xoev:code>
    <xoev:code listURI="urn:xoev-de:xmeld:codeliste:anforderungselement"
        listVersionID="2">0120</xoev:code>
    <xoev:code listURI="urn:xoev-de:xmeld:codeliste:anforderungselement"
        listVersionID="2">0163</xoev:code>
  </anforderungselemente>
  <bemerkung>Zeichen nach DIN 91379: Ærøskøbing, Øre, Đorđe, Ŀuis, Jose\u0301 Žižek</bemerkung>
</datenabruf.personensuche.suchanfrage.1330>
"""


def sample_document() -> bytes:
    """The sample request as UTF-8 bytes (about 3.3 KB)."""
    return _SAMPLE.format(xmeld=XMELD, xoev=XOEV).encode("utf-8")


def sample_root() -> etree._Element:
    return etree.fromstring(sample_document())


def exc_c14n(element: etree._Element) -> bytes:
    """Exclusive C14N without comments — what the signature covers."""
    return etree.tostring(element, method="c14n", exclusive=True, with_comments=False)


def parse(document: bytes) -> etree._Element:
    return etree.fromstring(document)


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class PermissiveSigner(XMLSigner):
    """signxml's signer without its SHA-1 guard: builds the signatures attackers send."""

    def check_deprecated_methods(self) -> None:
        return None


def raw_sign(
    document: bytes,
    issued: IssuedCertificate,
    *,
    method: SignatureMethod = SignatureMethod.ECDSA_SHA256,
    digest: DigestAlgorithm = DigestAlgorithm.SHA256,
    c14n: CanonicalizationMethod = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    **sign_kwargs: Any,
) -> bytes:
    """Sign with plain signxml, bypassing every policy of ``MessageSigner``/``SigningIdentity``
    (RSA-2048 keys, SHA-1, ``#id`` references, several references …)."""
    signer = PermissiveSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=method,
        digest_algorithm=digest,
        c14n_algorithm=c14n,
    )
    signed = signer.sign(
        parse(document), key=issued.private_key, cert=[issued.certificate], **sign_kwargs
    )
    return serialize(signed)


@dataclass(frozen=True)
class Material:
    """Everything the signing tests need, created once."""

    directory: Path
    pki: DevelopmentPki
    ca: IssuedCertificate
    anna: IssuedCertificate  # the development PKI's user (P-256)
    ben: IssuedCertificate  # a second user of the development PKI
    rsa3072: IssuedCertificate
    brainpool: IssuedCertificate
    p384: IssuedCertificate
    rsa2048: IssuedCertificate
    expired: IssuedCertificate
    not_yet_valid: IssuedCertificate
    revoked: IssuedCertificate
    wrong_usage: IssuedCertificate
    foreign_ca: IssuedCertificate
    foreign: IssuedCertificate
    sub_ca: IssuedCertificate
    sub_user: IssuedCertificate

    def trust(self) -> TrustStore:
        return self.pki.trust_store()

    def verifier(self, **kwargs: Any) -> MessageVerifier:
        return MessageVerifier(self.trust(), **kwargs)

    def signer(
        self, issued: IssuedCertificate, *, algorithm: SignatureAlgorithm | None = None
    ) -> MessageSigner:
        return MessageSigner(identity_of(issued), algorithm=algorithm)


def identity_of(issued: IssuedCertificate, *chain: x509.Certificate) -> SigningIdentity:
    return SigningIdentity(
        private_key=issued.private_key, certificate=issued.certificate, chain=tuple(chain)
    )


def _load(files: tuple[Path, Path]) -> IssuedCertificate:
    from datenspiegel.signing.pki import load_issuer

    return load_issuer(files[0], files[1])


@cache
def material() -> Material:
    directory = Path(tempfile.mkdtemp(prefix="datenspiegel-signing-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    pki = create_development_pki(directory / "pki", users=["anna.schmidt", "ben"])
    ca = pki.load_ca()
    now = datetime.now(UTC)
    user = CertificateProfile.USER

    def issue(name: str, **kwargs: Any) -> IssuedCertificate:
        kwargs.setdefault("issuer", ca)
        return issue_certificate(name, profile=user, **kwargs)

    revoked = issue("revoked user")
    revoke(pki.crl, ca=ca, serial_numbers=[revoked.serial_number])
    foreign_ca = issue_certificate("Fremde CA", profile=CertificateProfile.CA)
    sub_ca = issue_certificate(
        "Behörden-Unter-CA", profile=CertificateProfile.CA, issuer=ca, path_length=0
    )
    no_signature_usage = x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return Material(
        directory=directory,
        pki=pki,
        ca=ca,
        anna=_load(pki.users["anna.schmidt"]),
        ben=_load(pki.users["ben"]),
        rsa3072=issue("rsa user", private_key=generate_private_key(KeyKind.RSA_3072)),
        brainpool=issue(
            "brainpool user", private_key=generate_private_key(KeyKind.EC_BRAINPOOL_P256)
        ),
        p384=issue("p384 user", private_key=generate_private_key(KeyKind.EC_P384)),
        rsa2048=issue("weak user", private_key=generate_private_key(KeyKind.RSA_2048)),
        expired=issue(
            "expired user", not_before=now - timedelta(days=800), validity=timedelta(days=365)
        ),
        not_yet_valid=issue("future user", not_before=now + timedelta(days=30)),
        revoked=revoked,
        wrong_usage=issue("encryption only", key_usage=no_signature_usage),
        foreign_ca=foreign_ca,
        foreign=issue("foreign user", issuer=foreign_ca),
        sub_ca=sub_ca,
        sub_user=issue("user below the sub-CA", issuer=sub_ca),
    )


# -- the material itself -----------------------------------------------------------------------


def test_sample_document_is_a_3kb_xoev_like_message_with_two_namespaces() -> None:
    document = sample_document()
    root = parse(document)
    assert 3000 <= len(document) <= 4000
    assert root.nsmap[None] == XMELD
    assert root.nsmap["xoev"] == XOEV
    assert root.find(f".//{{{XOEV}}}code") is not None
    # exclusive C14N drops the unused xsi declaration and moves xoev down to its users
    canonical = exc_c14n(root)
    assert b"xmlns:xsi" not in canonical
    assert canonical.count(b'xmlns:xoev="' + XOEV.encode() + b'"') > 1


def test_material_certificates_have_the_intended_shape() -> None:
    m = material()
    assert m.rsa3072.private_key.key_size == 3072
    assert m.rsa2048.private_key.key_size == 2048
    assert m.expired.certificate.not_valid_after_utc < datetime.now(UTC)
    assert m.foreign.certificate.issuer == m.foreign_ca.certificate.subject
    assert m.sub_user.certificate.issuer == m.sub_ca.certificate.subject
