"""The contract as vendors' SOAP toolkits need it (issue 6): conventions of the XSDs and the WSDL.

- the target namespace is bound to the prefix ``dsa`` in every schema document, never to the
  default namespace (suds then put the unqualified children into the target namespace); child
  elements stay unqualified;
- the signature place is a reference to ``ds:Signature`` of the W3C XML-Signature schema, which
  is shipped in the package without its DTD and never fetched;
- ``listURI``/``listVersionID`` may be omitted (JAXB clients drop attributes with a fixed value),
  but a wrong value is still X010;
- UUIDs of every RFC 4122 variant version (1–8), all lower or all upper case;
- the XÖV root attributes ``standard``, ``test`` and ``produktversion`` on every message root;
- ``version`` is left to the broker (V000), not fixed in the schema.

Each convention is a set of sample files under ``tests/data`` checked with both engines: libxml2
(the broker's hot path) and xmlschema (``datenspiegel validate``). zeep reads the WSDL from the
file system and from the server's URL layout without a network.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
import xmlschema
import zeep
from lxml import etree
from zeep.transports import Transport

from datenspiegel.signing import SignatureAlgorithm
from datenspiegel.wsdl import (
    ADMINISTRATION,
    CONTRACTS,
    DATENABRUF,
    SERVICE_PATH,
    Contract,
    wsdl_path,
)
from datenspiegel.xsd import (
    DSIG_NAMESPACE,
    NAMESPACE,
    MessageError,
    MessageSchemaInvalid,
    MessageValidator,
    parse_message,
    schema_directory,
    schema_path,
)
from datenspiegel.xsd.conformance import check_file, load_schema
from tests.test_signing_support import Material, material

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
SAMPLES = REPO / "fixtures" / "messages"
DSIG_SCHEMA = "xmldsig-core-schema.xsd"
XS = "http://www.w3.org/2001/XMLSchema"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
ROOTS = (
    "datenabruf.personensuche.suchanfrage.1330",
    "datenabruf.personensuche.antwort.1331",
    "ruecksendung.nachricht.0910",
)

# convention → (sample file below tests/data or fixtures/messages, 0910 code or None for valid)
CONVENTIONS: dict[str, list[tuple[str, str | None]]] = {
    "code-list-attributes": [
        ("valid/code-list-attributes-omitted.xml", None),
        ("invalid/code-list-uri-wrong-version-omitted.xml", "X010"),
        ("invalid/code-list-version-wrong-uri-omitted.xml", "X010"),
        ("invalid/wrong-list-uri.xml", "X010"),
        ("invalid/wrong-list-version.xml", "X010"),
    ],
    "uuid": [
        ("valid/uuid-v1.xml", None),
        ("valid/uuid-v7.xml", None),
        ("valid/uuid-upper-case.xml", None),
        ("valid/answer-root-attributes-uuid-v6.xml", None),
        ("valid/ruecksendung-root-attributes-uuid-v7.xml", None),
        ("invalid/uuid-without-hyphens.xml", "X001"),
        ("invalid/uuid-urn-prefix.xml", "X001"),
        ("invalid/uuid-mixed-case.xml", "X001"),
        ("invalid/uuid-nil.xml", "X001"),
        ("invalid/uuid-not-rfc-variant.xml", "X001"),
        ("invalid/uuid-not-hex.xml", "X001"),
        ("invalid/ruecksendung-ursprungsnachricht-malformed.xml", "X001"),
    ],
    "root-attributes": [
        ("valid/root-attributes.xml", None),
        ("valid/answer-root-attributes-uuid-v6.xml", None),
        ("valid/ruecksendung-root-attributes-uuid-v7.xml", None),
        ("invalid/root-attribute-test-not-boolean.xml", "X001"),
    ],
    "signature": [
        ("samples/personensuche-1330.xml", None),  # unsigned: the broker answers T010 itself
        ("valid/signature-template.xml", None),
        ("valid/signed-ecdsa-p256.xml", None),
        ("valid/signed-rsa-pss.xml", None),
        ("invalid/signature-ds-object.xml", "X001"),
        ("invalid/signature-without-namespace.xml", "X001"),
        ("invalid/signature-xmldsig11-namespace.xml", "X001"),
        ("invalid/signature-empty-keyinfo.xml", "X001"),
        ("invalid/signature-placeholder.xml", "X001"),
        ("invalid/two-signatures.xml", "X001"),
    ],
    # The schema's part of V000: a foreign version passes it (the broker's reader answers V000);
    # a foreign namespace fits no declaration (the service answers V000 before validating).
    "version": [
        ("version/foreign-version.xml", None),
        ("version/foreign-namespace.xml", "X001"),
    ],
}
ENGINES = ("libxml2", "xmlschema")


def _path(relative: str) -> Path:
    folder, _, name = relative.partition("/")
    return SAMPLES / name if folder == "samples" else DATA / relative


@pytest.fixture(scope="module")
def validator() -> MessageValidator:
    return MessageValidator()


def _verdict(engine: str, path: Path, validator: MessageValidator) -> str | None:
    """The 0910 code an engine gives the file, or None when it conforms."""
    if engine == "xmlschema":
        return check_file(path, schema=load_schema()).code
    try:
        validator.validate(parse_message(path.read_bytes()))
    except MessageError as exc:
        return str(exc.code)
    return None


def _verdict_of_bytes(
    engine: str, data: bytes, tmp_path: Path, validator: MessageValidator
) -> str | None:
    path = tmp_path / "message.xml"
    path.write_bytes(data)
    return _verdict(engine, path, validator)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("relative", "code"),
    [
        pytest.param(relative, code, id=f"{convention}:{relative}")
        for convention, cases in CONVENTIONS.items()
        for relative, code in cases
    ],
)
def test_convention_samples(
    engine: str, relative: str, code: str | None, validator: MessageValidator
) -> None:
    assert _verdict(engine, _path(relative), validator) == code


def test_convention_samples_exist() -> None:
    listed = {relative for cases in CONVENTIONS.values() for relative, _ in cases}
    assert all(_path(relative).is_file() for relative in listed)
    assert {f"version/{p.name}" for p in (DATA / "version").glob("*.xml")} <= listed


# -- 1. the target namespace has a prefix; children stay unqualified -----------------------------

CONTRACT_SCHEMAS = sorted(p.name for p in schema_directory().glob("*.xsd") if p.name != DSIG_SCHEMA)


@pytest.mark.parametrize("name", CONTRACT_SCHEMAS)
def test_schema_binds_the_target_namespace_to_a_prefix(name: str) -> None:
    root = parse_message(schema_path(name).read_bytes())
    assert root.get("targetNamespace") == NAMESPACE
    assert root.nsmap.get("dsa") == NAMESPACE
    assert None not in root.nsmap, "no default namespace: every reference names its prefix"
    assert root.get("elementFormDefault") == "unqualified"
    assert root.get("attributeFormDefault") == "unqualified"
    for element in root.iter(f"{{{XS}}}*"):
        for attribute in ("type", "base", "ref"):
            value = element.get(attribute)
            if value is not None:
                assert value.split(":", 1)[0] in {"xs", "dsa", "ds"}, (name, element.sourceline)


# -- 2. ds:Signature from the shipped W3C schema ------------------------------------------------


def test_every_shipped_schema_and_the_wsdl_pass_the_hardened_parser() -> None:
    """No DOCTYPE anywhere: libxml2's schema loader would read a DTD, zeep refuses it."""
    for path in [*schema_directory().glob("*.xsd"), *(c.wsdl_path() for c in CONTRACTS)]:
        parse_message(path.read_bytes())


def test_shipped_xmldsig_schema_is_the_w3c_schema_without_its_dtd() -> None:
    """Same components as signxml's copy, which the verifier checks signatures against."""
    import signxml

    original = Path(signxml.__file__).parent / "schemas" / DSIG_SCHEMA
    reference = etree.parse(
        str(original), etree.XMLParser(load_dtd=False, resolve_entities=False, no_network=True)
    )
    shipped = etree.ElementTree(parse_message(schema_path(DSIG_SCHEMA).read_bytes()))

    def c14n(tree: etree._ElementTree) -> bytes:
        return etree.tostring(tree.getroot(), method="c14n", with_comments=False)

    assert shipped.getroot().get("targetNamespace") == DSIG_NAMESPACE
    assert c14n(shipped) == c14n(reference)


@pytest.mark.parametrize("root", ROOTS)
def test_signature_place_is_an_optional_ds_signature(root: str) -> None:
    content = load_schema().maps.elements[f"{{{NAMESPACE}}}{root}"].type.content
    last = content[-1]
    assert last.name == f"{{{DSIG_NAMESPACE}}}Signature"
    assert (last.min_occurs, last.max_occurs) == (0, 1)


def test_xmldsig_schema_is_read_from_the_package() -> None:
    (dsig,) = load_schema().maps.namespaces[DSIG_NAMESPACE]
    assert dsig.url == schema_path(DSIG_SCHEMA).as_uri()


@pytest.fixture(scope="module")
def signing() -> Material:
    return material()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("who", "algorithm"),
    [
        ("anna", SignatureAlgorithm.ECDSA_SHA256),
        ("p384", SignatureAlgorithm.ECDSA_SHA384),
        ("brainpool", SignatureAlgorithm.ECDSA_SHA256),
        ("rsa3072", SignatureAlgorithm.RSA_PSS_SHA256),
        ("rsa3072", SignatureAlgorithm.RSA_SHA512),
    ],
)
@pytest.mark.parametrize("sample", ["personensuche-1330.xml", "personensuche-1331-status01.xml"])
def test_what_the_broker_signs_is_valid(
    engine: str,
    who: str,
    algorithm: SignatureAlgorithm,
    sample: str,
    signing: Material,
    validator: MessageValidator,
    tmp_path: Path,
) -> None:
    signer = signing.signer(getattr(signing, who), algorithm=algorithm)
    signed = signer.sign_bytes((SAMPLES / sample).read_bytes())
    assert b"<ds:Signature" in signed
    assert _verdict_of_bytes(engine, signed, tmp_path, validator) is None


# -- 3. listURI / listVersionID optional, fixed ----------------------------------------------------


def test_every_code_list_attribute_is_optional_and_fixed() -> None:
    types = [
        xsd_type
        for name, xsd_type in load_schema().maps.types.items()
        if name.startswith(f"{{{NAMESPACE}}}Code.")
    ]
    assert len(types) >= 11
    for xsd_type in types:
        for name in ("listURI", "listVersionID"):
            attribute = xsd_type.attributes[name]
            assert attribute.use == "optional", (xsd_type.name, name)
            assert attribute.fixed, (xsd_type.name, name)


# -- 4. UUIDs of any version ----------------------------------------------------------------------


def _uuid_of_version(version: int) -> str:
    value = uuid.UUID(int=uuid.uuid4().int)
    return str(uuid.UUID(int=(value.int & ~(0xF << 76)) | (version << 76)))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("version", range(1, 9))
@pytest.mark.parametrize("case", [str.lower, str.upper], ids=["lower", "upper"])
def test_uuid_of_every_version_is_accepted(
    engine: str, version: int, case: Any, validator: MessageValidator, tmp_path: Path
) -> None:
    value = case(_uuid_of_version(version))
    assert uuid.UUID(value).version == version and uuid.UUID(value).variant == uuid.RFC_4122
    base = (SAMPLES / "personensuche-1331-status03.xml").read_text(encoding="utf-8")
    old = "<ursprungsnachricht>6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e<"
    assert old in base
    data = base.replace(old, f"<ursprungsnachricht>{value}<").encode()
    assert _verdict_of_bytes(engine, data, tmp_path, validator) is None


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("version", [0, 9, 15])
def test_uuid_outside_the_versions_is_refused(
    engine: str, version: int, validator: MessageValidator, tmp_path: Path
) -> None:
    base = (SAMPLES / "personensuche-1330.xml").read_text(encoding="utf-8")
    data = base.replace(
        "6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e", _uuid_of_version(version), 1
    ).encode()
    assert _verdict_of_bytes(engine, data, tmp_path, validator) == "X001"


# -- 5. root attributes ------------------------------------------------------------------------


@pytest.mark.parametrize("root", ROOTS)
def test_every_root_takes_the_xoev_attributes(root: str) -> None:
    attributes = load_schema().maps.elements[f"{{{NAMESPACE}}}{root}"].type.attributes
    assert set(attributes) == {
        "version",
        "standard",
        "produkt",
        "produkthersteller",
        "produktversion",
        "test",
    }
    assert attributes["test"].type.name == f"{{{XS}}}boolean"
    assert {name for name, a in attributes.items() if a.use == "required"} == {"version"}


# -- 6. version: left to the broker ---------------------------------------------------------------


@pytest.mark.parametrize("root", ROOTS)
def test_version_is_a_required_token_the_broker_checks(root: str) -> None:
    """Fixing version="1.0" in the schema would answer a foreign version with X001, not V000."""
    version = load_schema().maps.elements[f"{{{NAMESPACE}}}{root}"].type.attributes["version"]
    assert version.type.name == f"{{{XS}}}token"
    assert version.fixed is None and version.use == "required"


def test_foreign_namespace_is_schema_invalid_on_both_engines(validator: MessageValidator) -> None:
    """Hence the service must look at the namespace before it validates (to answer V000)."""
    data = (DATA / "version" / "foreign-namespace.xml").read_bytes()
    with pytest.raises(MessageSchemaInvalid):
        validator.validate(parse_message(data))


# -- the WSDL: SOAPAction per operation, imports resolved without a network ----------------------


def _wsdl(contract: Contract = DATENABRUF) -> etree._Element:
    return parse_message(contract.wsdl_path().read_bytes())


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_wsdl_declares_the_soap_action_of_each_operation(contract: Contract) -> None:
    """Every operation of both services (retrieval, administration) has its SOAPAction; the
    WSDL's operations are exactly the contract's, and each is documented."""
    root = _wsdl(contract)
    operations = root.findall(f"{{{WSDL_NS}}}portType/{{{WSDL_NS}}}operation")
    assert [o.get("name") for o in operations] == list(contract.operations)
    assert all(o.findtext(f"{{{WSDL_NS}}}documentation") for o in operations)
    actions = {}
    for binding_operation in root.iterfind(f"{{{WSDL_NS}}}binding/{{{WSDL_NS}}}operation"):
        soap = binding_operation.find(f"{{{SOAP_NS}}}operation")
        assert soap is not None, binding_operation.get("name")
        actions[binding_operation.get("name")] = soap.get("soapAction")
    assert set(actions) == {operation.get("name") for operation in operations}
    assert all(actions.values())
    assert len(set(actions.values())) == len(actions)
    assert all(action == f"{NAMESPACE}:{name}" for name, action in actions.items())


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_wsdl_imports_the_schema_from_the_file_tree_and_the_server(contract: Contract) -> None:
    (schema_import,) = _wsdl(contract).iter(f"{{{XS}}}import")
    location = schema_import.get("schemaLocation")
    assert schema_import.get("namespace") == NAMESPACE
    assert (contract.wsdl_path().parent / location).resolve() == schema_path().resolve()
    served = urljoin(f"https://broker.example:8443{contract.path}?wsdl", location)
    assert served == "https://broker.example:8443/xsd/datenabruf.xsd"


def test_every_contract_operation_has_its_handler_and_message(tmp_path: Path) -> None:
    """The service registers exactly the operations the WSDLs offer, each selected by the
    request element its WSDL input names."""
    from tests.world import build_world

    world = build_world(tmp_path)
    try:
        registered = {op.name: op.request_element for op in world.broker.registry.operations}
    finally:
        world.stores.close()
    offered = {}
    for contract in CONTRACTS:
        root = _wsdl(contract)
        messages = {
            m.get("name"): m.find(f"{{{WSDL_NS}}}part").get("element").split(":", 1)[1]  # type: ignore[union-attr]
            for m in root.iterfind(f"{{{WSDL_NS}}}message")
        }
        for operation in root.iterfind(f"{{{WSDL_NS}}}portType/{{{WSDL_NS}}}operation"):
            message = operation.find(f"{{{WSDL_NS}}}input").get("message").split(":", 1)[1]  # type: ignore[union-attr]
            offered[operation.get("name")] = messages[message]
    assert registered == offered


def test_zeep_reads_the_administration_wsdl() -> None:
    session = requests.Session()
    session.trust_env = False
    admin = zeep.Client(
        str(ADMINISTRATION.wsdl_path()),
        transport=Transport(session=session),
        settings=_ZEEP_SETTINGS,
    )
    operations = admin.service._binding._operations
    assert set(operations) == set(ADMINISTRATION.operations)
    assert operations["nutzerAnlegen"].soapaction == f"{NAMESPACE}:nutzerAnlegen"


class _ServerLayout(Transport):
    """Answers URLs as the broker's web front does (WSDL at ?wsdl, schemas under /xsd/)."""

    def __init__(self) -> None:
        session = requests.Session()
        session.trust_env = False
        super().__init__(session=session)
        self.loaded: list[str] = []

    def load(self, url: str) -> bytes:
        self.loaded.append(url)
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc == "broker.example:8443", url
        if parts.path == SERVICE_PATH and parts.query == "wsdl":
            return wsdl_path().read_bytes()
        assert parts.path.startswith("/xsd/"), url
        return schema_path(parts.path.removeprefix("/xsd/")).read_bytes()


_ZEEP_SETTINGS = zeep.Settings(forbid_dtd=True, forbid_entities=True, forbid_external=True)


@pytest.fixture(scope="module")
def client() -> zeep.Client:
    session = requests.Session()
    session.trust_env = False
    return zeep.Client(
        str(wsdl_path()), transport=Transport(session=session), settings=_ZEEP_SETTINGS
    )


def test_zeep_reads_the_wsdl_from_the_server_url_layout() -> None:
    transport = _ServerLayout()
    served = zeep.Client(
        f"https://broker.example:8443{SERVICE_PATH}?wsdl",
        transport=transport,
        # The imports are "external" (https) here: zeep's default, as a vendor's client has it.
        settings=zeep.Settings(forbid_dtd=True, forbid_entities=True),
    )
    assert served.service._binding._operations["personensuche"].soapaction
    assert {urlsplit(url).path for url in transport.loaded} >= {
        SERVICE_PATH,
        "/xsd/datenabruf.xsd",
        f"/xsd/{DSIG_SCHEMA}",
    }


def test_zeep_sees_the_soap_action(client: zeep.Client) -> None:
    operation = client.service._binding._operations["personensuche"]
    assert operation.soapaction == f"{NAMESPACE}:personensuche"


def _behoerde(kennung: str, name: str) -> dict[str, Any]:
    return {"verzeichnisdienst": {"code": "DVDV"}, "kennung": kennung, "name": name}


PERSONENSUCHE: dict[str, Any] = {
    "version": "1.0",
    "standard": "datenspiegel Datenabruf",
    "produkt": "Fachverfahren Demo",
    "produktversion": "4.2",
    "test": True,
    "nachrichtenkopf.g2g": {
        "identifikation.nachricht": {
            "nachrichtenUUID": "01936f3a-5c2e-7d4b-9a1f-3e6c8b2d4f70",
            "nachrichtentyp": {"code": "1330"},  # listURI and listVersionID left out, like JAXB
            "erstellungszeitpunkt": "2026-11-28T10:15:00+01:00",
        },
        "leser": _behoerde("ags:03241001", "Landeshauptstadt Hannover"),
        "autor": _behoerde("dbs:ordnungsamt-hannover", "Landeshauptstadt Hannover"),
    },
    "anfragendeStelle": {
        "behoerdenname": "Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung",
        "anschrift": {"strasse": "Trammplatz", "postleitzahl": "30159", "ort": "Hannover"},
        "telefon": "+49 511 168-0",
        "email": "ordnung@hannover-stadt.example",
        "aktenzeichen": "32.4-2026-0815",
        "anlass": "Zustellung eines Bußgeldbescheids",
        "kennungAnfragendePerson": "OA-32.4-0815",
        "sicherheitsbehoerde": False,
    },
    "anforderungselement": [
        {
            "code": "1",
            "listURI": "urn:xoev-de:xmeld:codeliste:personensuche.anforderungselement",
            "listVersionID": "2",
        },
        {"code": "7"},
    ],
    "auswahldaten": {
        "familienname": "Mustermann",
        "vornamen": "Erika",
        "geburtsdatum": {"jahrMonatTag": "1964-08-12"},
        "anschrift": {"gemeindeschluessel": "03241001"},
    },
}


@pytest.fixture(scope="module")
def zeep_request(client: zeep.Client) -> etree._Element:
    envelope = client.create_message(client.service, "personensuche", **PERSONENSUCHE)
    body = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    assert body is not None and len(body) == 1
    return body[0]


def test_zeep_request_children_are_unqualified(zeep_request: etree._Element) -> None:
    assert zeep_request.tag == f"{{{NAMESPACE}}}datenabruf.personensuche.suchanfrage.1330"
    children = list(zeep_request.iter(etree.Element))[1:]
    assert len(children) > 20
    assert all(etree.QName(child).namespace is None for child in children)
    assert zeep_request.get("test") == "true"
    assert zeep_request.get("produktversion") == "4.2"


@pytest.mark.parametrize("engine", ENGINES)
def test_zeep_request_is_valid_on_both_engines(
    engine: str, zeep_request: etree._Element, validator: MessageValidator, tmp_path: Path
) -> None:
    # Taken out of the envelope as a document of its own, as the broker does.
    document = etree.tostring(zeep_request, xml_declaration=True, encoding="UTF-8")
    assert _verdict_of_bytes(engine, document, tmp_path, validator) is None


def test_zeep_knows_the_signature_element(client: zeep.Client) -> None:
    signature = client.get_element(f"{{{DSIG_NAMESPACE}}}Signature")
    assert [name for name, _ in signature.type.elements][:2] == ["SignedInfo", "SignatureValue"]


def test_xmlschema_finds_every_import_in_the_schema_folder() -> None:
    # 'sandbox' refuses any location outside the entry point's folder, remote ones included.
    schema = xmlschema.XMLSchema(str(schema_path()), allow="sandbox")
    assert f"{{{DSIG_NAMESPACE}}}Signature" in schema.maps.elements
