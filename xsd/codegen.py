"""Generate the code-list schema and Python tables from the official ``codelists.txt``.

Run ``python -m datenspiegel.xsd.codegen PATH/TO/codelists.txt`` after the code lists change;
the generated ``datenabruf-codes.xsd`` and ``codelists.py`` are committed (the broker never
reads the text file at run time) and a test keeps them in sync with the source.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["CodeList", "parse_codelists", "render_python", "render_xsd"]

_HEADER = re.compile(r"^### (?P<name>\S+) \| (?P<uri>\S+) \| version (?P<version>\S+) \|")
_ENTRY = re.compile(r"^\s+(?P<code>\S+) \| (?P<label>.*)$")

# Lists the messages need that are not in codelists.txt (XMeld values).
_EXTRA = """\
### Code.Geschlecht | urn:de:dsmeld:schluesseltabelle:geschlecht | version 2 | gültig ab 2019-01-01
   m | männlich
   w | weiblich
   d | divers
   x | ohne Angabe im Geburtenregister
### Code.Nachrichtentyp | urn:xoev-de:datenspiegel:codeliste:nachrichtentyp | version 1 | gültig ab 2026-11-01
   1330 | datenabruf.personensuche.suchanfrage.1330
   1331 | datenabruf.personensuche.antwort.1331
   1332 | datenabruf.freieSuche.suchanfrage.1332
   1333 | datenabruf.freieSuche.antwort.1333
   1322 | datenabruf.aussteuerung.1322
   0910 | ruecksendung.nachricht.0910
   9100 | administration.nutzer*.9100 (Nutzerverwaltung durch den Administrator der Behörde)
   9101 | administration.antwort.9101
   9200 | protokoll.abruf.9200 (eigene Protokolldaten einer Sicherheitsbehörde, § 40 Abs. 3 BMG)
   9201 | protokoll.antwort.9201
### Code.Verzeichnisdienst | urn:de:xta:codeliste:verzeichnisdienst | version 1 | gültig ab 2010-01-01
   DVDV | Deutsches Verwaltungsdiensteverzeichnis
"""

# XSD type names for the lists (short, stable names used by the message schemas).
_TYPE_NAMES = {
    "Code.Auskunftssperre": "Code.Auskunftssperre",
    "Code.Datenabruf.FreieSuche.Aktualitaet.Suche.Status": "Code.FreieSuche.Aktualitaet",
    "Code.Datenabruf.FreieSuche.Anforderungselement": "Code.FreieSuche.Anforderungselement",
    "Code.Datenabruf.Personensuche.Anforderungselement": "Code.Personensuche.Anforderungselement",
    "Code.Wohnungsstatus": "Code.Wohnungsstatus",
    "Code.Datenabruf.Ergebnisstatus": "Code.Ergebnisstatus",
    "Code.Datenabruf.Nichterstellung.Grund": "Code.Nichterstellung.Grund",
    "Code.Ruecksendung.einer.Nachricht": "Code.Ruecksendung",
    "Code.Geschlecht": "Code.Geschlecht",
    "Code.Nachrichtentyp": "Code.Nachrichtentyp",
    "Code.Verzeichnisdienst": "Code.Verzeichnisdienst",
}


# Enums for the lists the broker's code decides with (codes as data, never bare strings):
# list name → (enum name, member name per code; ``None`` means the code is its own name).
_ENUMS: dict[str, tuple[str, dict[str, str] | None]] = {
    "Code.Datenabruf.Ergebnisstatus": (
        "Ergebnisstatus",
        {"01": "PERSON", "02": "TREFFERLISTE", "03": "NEUTRAL", "04": "ERGEBNISLISTE"},
    ),
    "Code.Datenabruf.Nichterstellung.Grund": (
        "Grund",
        {
            "01": "MERKMAL_UNGUELTIG",
            "02": "STRASSE_UNBEKANNT",
            "03": "KEINE_SICHERHEITSBEHOERDE",
            "04": "WAFFENERLAUBNIS_NICHT_BERECHTIGT",
            "05": "WAFFENBESITZVERBOT_NICHT_BERECHTIGT",
            "06": "SPRENGSTOFFERLAUBNIS_NICHT_BERECHTIGT",
            "07": "AUSWEISDATEN_NICHT_BERECHTIGT",
            "08": "PASSTATSACHEN_NICHT_BERECHTIGT",
            "09": "WAFFENDATEN_NICHT_BERECHTIGT",
            "10": "WOHNUNGSGEBER_NICHT_BERECHTIGT",
            "11": "EINZUGSDATUM_NICHT_BERECHTIGT",
            "12": "TREFFERLISTE_ZU_GROSS",
            "13": "ERGEBNISLISTE_ZU_GROSS",
            "14": "AGS_UNGLEICH_LESER",
            "15": "PLATZHALTER_BEI_PHONETIK",
            "16": "INTERNER_FEHLER",
            "17": "SONSTIGER_FACHLICHER_FEHLER",
            "18": "MINDESTANGABEN_FEHLEN",
            "19": "HAUSNUMMERNBEREICH_UNGUELTIG",
            "20": "GEBURTSZEITRAUM_UNGUELTIG",
            "21": "AKTUALITAET_OHNE_STRASSE",
            "22": "SUCHBEREICH_NICHT_ZUSTAENDIG",
            "23": "LANDESERWEITERUNG_UNZULAESSIG",
            "24": "AZR_NUMMER_UNZULAESSIG",
        },
    ),
    "Code.Ruecksendung.einer.Nachricht": ("Ruecksendung", None),
    "Code.Nachrichtentyp": (
        "Nachrichtentyp",
        {
            "1330": "PERSONENSUCHE_ANFRAGE",
            "1331": "PERSONENSUCHE_ANTWORT",
            "1332": "FREIE_SUCHE_ANFRAGE",
            "1333": "FREIE_SUCHE_ANTWORT",
            "1322": "AUSSTEUERUNG",
            "0910": "RUECKSENDUNG",
            "9100": "ADMINISTRATION_ANFRAGE",
            "9101": "ADMINISTRATION_ANTWORT",
            "9200": "PROTOKOLL_ABRUF",
            "9201": "PROTOKOLL_ANTWORT",
        },
    ),
}


@dataclass(frozen=True, slots=True)
class CodeList:
    name: str
    uri: str
    version: str
    entries: tuple[tuple[str, str], ...]

    @property
    def type_name(self) -> str:
        return _TYPE_NAMES[self.name]

    @property
    def python_name(self) -> str:
        return self.type_name.removeprefix("Code.").replace(".", "_").upper()


def parse_codelists(text: str) -> list[CodeList]:
    lists: list[CodeList] = []
    current: tuple[str, str, str] | None = None
    entries: list[tuple[str, str]] = []
    for line in (text.rstrip("\n") + "\n" + _EXTRA).splitlines():
        header = _HEADER.match(line)
        if header:
            if current:
                lists.append(CodeList(*current, tuple(entries)))
            current = (header["name"], header["uri"], header["version"])
            entries = []
            continue
        entry = _ENTRY.match(line)
        if entry and current:
            entries.append((entry["code"], entry["label"].strip()))
    if current:
        lists.append(CodeList(*current, tuple(entries)))
    return lists


def render_xsd(lists: list[CodeList], namespace: str) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- GENERATED by datenspiegel.xsd.codegen from codelists.txt: do not edit by hand. -->",
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{namespace}"',
        f'           xmlns:dsa="{namespace}" elementFormDefault="unqualified"',
        '           attributeFormDefault="unqualified" version="1.0">',
    ]
    for code_list in lists:
        out += [
            f'  <xs:complexType name="{code_list.type_name}">',
            "    <xs:annotation><xs:documentation>"
            f"{escape(code_list.name)} ({escape(code_list.uri)}, version {code_list.version})"
            "</xs:documentation></xs:annotation>",
            "    <xs:sequence>",
            '      <xs:element name="code">',
            '        <xs:simpleType><xs:restriction base="xs:token">',
        ]
        for code, label in code_list.entries:
            doc = escape(label[:200])
            out.append(
                f'          <xs:enumeration value="{code}"><xs:annotation><xs:documentation>'
                f"{doc}</xs:documentation></xs:annotation></xs:enumeration>"
            )
        out += [
            "        </xs:restriction></xs:simpleType>",
            "      </xs:element>",
            "    </xs:sequence>",
            f'    <xs:attribute name="listURI" type="xs:anyURI" use="optional"'
            f' fixed="{code_list.uri}"/>',
            f'    <xs:attribute name="listVersionID" type="xs:normalizedString" use="optional"'
            f' fixed="{code_list.version}"/>',
            "  </xs:complexType>",
        ]
    out.append("</xs:schema>")
    return "\n".join(out) + "\n"


def render_python(lists: list[CodeList]) -> str:
    out = [
        '"""Official code lists (GENERATED by ``datenspiegel.xsd.codegen``; do not edit by hand)."""',
        "",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass",
        "from enum import StrEnum",
        "from types import MappingProxyType",
        "from typing import Final",
        "",
        "",
        "@dataclass(frozen=True, slots=True)",
        "class CodeListInfo:",
        "    uri: str",
        "    version: str",
        "    labels: MappingProxyType[str, str]",
        "",
        "",
    ]
    names = []
    for code_list in lists:
        names.append(code_list.python_name)
        out.append(f"{code_list.python_name}: Final = CodeListInfo(")
        out.append(f"    uri={code_list.uri!r},")
        out.append(f"    version={code_list.version!r},")
        out.append("    labels=MappingProxyType({")
        for code, label in code_list.entries:
            out.append(f"        {code!r}: {label!r},")
        out.append("    }),")
        out.append(")")
    for code_list in lists:
        if code_list.name in _ENUMS:
            enum_name, members = _ENUMS[code_list.name]
            names.append(enum_name)
            out += _render_enum(code_list, enum_name, members)
    out.insert(9, "__all__ = [" + ", ".join(repr(n) for n in ["CodeListInfo", *names]) + "]\n")
    return "\n".join(out) + "\n"


def _render_enum(code_list: CodeList, enum_name: str, members: dict[str, str] | None) -> list[str]:
    codes = [code for code, _ in code_list.entries]
    if members is not None and sorted(members) != sorted(codes):
        raise ValueError(f"member names of {enum_name} do not match the codes of {code_list.name}")
    out = [
        "",
        "",
        f"class {enum_name}(StrEnum):",
        f'    """{code_list.name} ({code_list.uri}, version {code_list.version})."""',
        "",
    ]
    for code, label in code_list.entries:
        name = code if members is None else members[code]
        out.append(f"    {name} = {code!r}  # {label[:80].rstrip()}")
    out += [
        "",
        "    @property",
        "    def label(self) -> str:",
        f"        return {code_list.python_name}.labels[self.value]",
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    from datenspiegel.xsd.loader import NAMESPACE

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m datenspiegel.xsd.codegen PATH/TO/codelists.txt", file=sys.stderr)
        return 2
    lists = parse_codelists(Path(args[0]).read_text(encoding="utf-8"))
    here = Path(__file__).parent
    (here / "datenabruf-codes.xsd").write_text(render_xsd(lists, NAMESPACE), encoding="utf-8")
    (here / "codelists.py").write_text(render_python(lists), encoding="utf-8")
    print(f"wrote {len(lists)} code lists")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
