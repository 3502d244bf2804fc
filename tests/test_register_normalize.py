"""Normalisation to base letters (BMeldDAV Anlage Nr. 4, DIN 91379) and Kölner Phonetik.

Anlage Nr. 4: every character the table does not map to a base letter is removed — blanks,
hyphens and dots included ("Lange Straße" = "Lange-Strasse" = "LangeStrasse",
"Karl-Heinz" = "Karlheinz"). The whole rule table with register and both back-ends is in
tests/test_matching_anlage.py.
"""

from __future__ import annotations

import pytest

from datenspiegel.register.normalize import (
    has_placeholder,
    normalize,
    normalize_code,
    normalize_strasse,
    normalize_vornamen,
    split_vornamen,
)
from datenspiegel.register.phonetics import koelner_phonetik


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the explicit table
        ("Müller", "MUELLER"),
        ("MÜLLER", "MUELLER"),
        ("Jäger", "JAEGER"),
        ("Öztürk", "OEZTUERK"),
        ("Weiß", "WEISS"),
        ("GROẞ", "GROSS"),
        ("Søren", "SOEREN"),
        ("Åsa", "AASA"),
        ("Ærø", "AEROE"),
        ("Œuvre", "OEUVRE"),
        ("Łukasz", "LUKASZ"),
        ("Đorđević", "DORDEVIC"),
        ("Þór", "THOR"),
        ("Yılmaz", "YILMAZ"),
        # combining marks dropped after NFD
        ("José", "JOSE"),
        ("Hélène", "HELENE"),
        ("François", "FRANCOIS"),
        ("Şahin", "SAHIN"),
        ("İbrahim", "IBRAHIM"),
        ("Nguyễn", "NGUYEN"),
        ("Wiśniewski", "WISNIEWSKI"),
        ("Zoë", "ZOE"),
        ("Zoe\u0308", "ZOE"),  # decomposed ë: the combining mark goes, the base letter stays
        ("Mu\u0308ller", "MUELLER"),  # decomposed ü is still ü: the table applies (NFC first)
        # case; blanks, hyphens, dots and other punctuation are removed (Anlage Nr. 4)
        ("  van   der  Meer ", "VANDERMEER"),
        ("Müller - Lüdenscheidt", "MUELLERLUEDENSCHEIDT"),
        ("Müller–Lüdenscheidt", "MUELLERLUEDENSCHEIDT"),
        ("Hans--Peter", "HANSPETER"),
        ("Karl-Heinz", "KARLHEINZ"),
        ("O'Brien", "OBRIEN"),
        ("D’Angelo", "DANGELO"),
        ("Dr.med.", "DRMED"),
        ("Oldenburg (Oldb)", "OLDENBURGOLDB"),
        ("12a", "12A"),
        ("12 a", "12A"),
        # nothing left → absent
        ("", None),
        ("   ", None),
        ("?*", None),
        ("Иван", None),
        (None, None),
    ],
)
def test_normalize(raw: str | None, expected: str | None) -> None:
    assert normalize(raw) == expected


def test_umlaut_and_its_transcription_meet() -> None:
    assert normalize("Größe-Übel") == normalize("Groesse Uebel") == "GROESSEUEBEL"


def test_normalize_is_idempotent() -> None:
    for raw in ("Weißhäupl-Öhlschläger", "  O'Neill ", "Łódź", "Hans – Peter"):
        once = normalize(raw)
        assert normalize(once) == once


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Bahnhofstraße", "BAHNHOFSTRASSE"),
        ("Bahnhofstr.", "BAHNHOFSTRASSE"),
        ("Bahnhofstr", "BAHNHOFSTRASSE"),
        ("BAHNHOFSTRASSE", "BAHNHOFSTRASSE"),
        ("Hildesheimer Str.", "HILDESHEIMERSTRASSE"),
        ("Große Düwelstr.", "GROSSEDUEWELSTRASSE"),
        # the Anlage's own example: written together or apart, with or without hyphen or dot
        ("Lange Straße", "LANGESTRASSE"),
        ("Lange-Strasse", "LANGESTRASSE"),
        ("LangeStrasse", "LANGESTRASSE"),
        ("Lange Str.", "LANGESTRASSE"),
        ("Lange-Str", "LANGESTRASSE"),
        ("Lange Str", "LANGESTRASSE"),
        ("Markt Pl.", "MARKTPLATZ"),
        ("Marktpl.", "MARKTPLATZ"),
        ("Marktplatz", "MARKTPLATZ"),
        ("Mühlenwegle", "MUEHLENWEG"),
        ("Kirchgässle", "KIRCHGASSE"),
        ("Kirchgaessle", "KIRCHGASSE"),
        ("Lister Meile", "LISTERMEILE"),
        ("Am Sande", "AMSANDE"),
        ("", None),
    ],
)
def test_normalize_strasse_suffix_rule(raw: str, expected: str | None) -> None:
    assert normalize_strasse(raw) == expected


def test_split_vornamen_at_blanks_not_hyphens() -> None:
    assert split_vornamen("Hans-Peter  Karl\tOtto") == ("Hans-Peter", "Karl", "Otto")
    assert split_vornamen("") == ()
    assert split_vornamen(None) == ()


def test_normalize_vornamen_splits_dedups_and_keeps_order() -> None:
    # split at blanks *before* normalising, which removes the hyphen (Anlage Nr. 4)
    assert normalize_vornamen(["Hans-Peter Karl", "karl", "Zoë", None, "?"]) == (
        "HANSPETER",
        "KARL",
        "ZOE",
    )
    assert normalize_vornamen(["Karl Heinz"]) == ("KARL", "HEINZ")
    assert normalize_vornamen(["Karl-Heinz"]) == normalize_vornamen(["Karlheinz"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Mei*er", True), ("M?ller", True), ("*", True), ("Meier", False), ("", False), (None, False)],
)
def test_has_placeholder_on_raw_text(raw: str | None, expected: bool) -> None:
    # BMeldDAV § 4 Abs. 7: found before normalising, which would remove them
    assert has_placeholder(raw) is expected


def test_normalize_code() -> None:
    assert normalize_code(" deu ") == "DEU"
    assert normalize_code("w") == "W"
    assert normalize_code("  ") is None
    assert normalize_code(None) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # reference examples of the Kölner Phonetik
        ("Müller-Lüdenscheidt", "65752682"),
        ("Breschnew", "17863"),
        ("Wikipedia", "3412"),
        # rules one by one
        ("Xaver", "4837"),  # X not after C/K/Q: 48
        ("Hexe", "048"),  # leading vowel code kept
        ("Philipp", "351"),  # PH: 3, P: 1
        ("Caesar", "487"),  # C initial before A: 4
        ("Cilly", "85"),  # C initial before I: 8
        ("Sachse", "848"),  # C before H after A: 4
        ("Schmidt", "862"),  # C after S: 8
        ("Detsch", "28"),  # T before S: 8 (merged with the S)
    ],
)
def test_koelner_phonetik(name: str, code: str) -> None:
    assert koelner_phonetik(name) == code


def test_phonetic_variants_meet() -> None:
    assert len({koelner_phonetik(n) for n in ("Meier", "Maier", "Mayer", "Meyer")}) == 1
    assert koelner_phonetik("Schmidt") == koelner_phonetik("Schmitt")
    assert koelner_phonetik("Mustermann") == koelner_phonetik("Musterman")
    assert koelner_phonetik("Müller") == koelner_phonetik("MUELLER")


def test_phonetik_of_nothing() -> None:
    assert koelner_phonetik(None) is None
    assert koelner_phonetik("") is None
    assert koelner_phonetik("123") is None
