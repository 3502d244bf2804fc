"""datenspiegel.register — the residents' register mirror: record model, search, import.

The broker asks through :class:`RegisterStore` with a :class:`PersonensucheQuery` and gets
:class:`Person` records back; what it may disclose of them is decided outside this package.
"""

from datenspiegel.register.codes import (
    SPERRENDE_AUSKUNFTSSPERREN,
    AngehoerigenArt,
    AuskunftssperreCode,
    AusweisArt,
    Familienstand,
    Geschlecht,
    NameKind,
    Wohnungsstatus,
)
from datenspiegel.register.errors import (
    ImportFormatError,
    InadmissibleSearchDataError,
    InvalidDateError,
    InvalidQueryError,
    InvalidRecordError,
    RegisterError,
    RegisterUnavailableError,
)
from datenspiegel.register.jsonl import (
    dumps_person,
    loads_person,
    person_from_json,
    person_to_json,
    read_jsonl,
    write_jsonl,
)
from datenspiegel.register.matching import person_matches
from datenspiegel.register.model import (
    UNBEKANNTES_DATUM,
    Angehoeriger,
    Anschrift,
    Auskunftssperre,
    Ausweis,
    BehoerdlicherVermerk,
    Person,
    TeilbekanntesDatum,
    Wohnungsgeber,
)
from datenspiegel.register.normalize import (
    normalize,
    normalize_strasse,
    normalize_vornamen,
    split_vornamen,
)
from datenspiegel.register.phonetics import koelner_phonetik
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.register.reports import ImportLogEntry, ImportReport, RegisterStats
from datenspiegel.register.store import DEFAULT_LIMIT, RegisterStore

__all__ = [
    "DEFAULT_LIMIT",
    "SPERRENDE_AUSKUNFTSSPERREN",
    "UNBEKANNTES_DATUM",
    "AngehoerigenArt",
    "Angehoeriger",
    "Anschrift",
    "Auskunftssperre",
    "AuskunftssperreCode",
    "Ausweis",
    "AusweisArt",
    "BehoerdlicherVermerk",
    "Familienstand",
    "Geschlecht",
    "ImportFormatError",
    "ImportLogEntry",
    "ImportReport",
    "InadmissibleSearchDataError",
    "InvalidDateError",
    "InvalidQueryError",
    "InvalidRecordError",
    "NameKind",
    "Person",
    "PersonensucheQuery",
    "RegisterError",
    "RegisterStats",
    "RegisterStore",
    "RegisterUnavailableError",
    "TeilbekanntesDatum",
    "Wohnungsgeber",
    "Wohnungsstatus",
    "dumps_person",
    "koelner_phonetik",
    "loads_person",
    "normalize",
    "normalize_strasse",
    "normalize_vornamen",
    "person_from_json",
    "person_matches",
    "person_to_json",
    "read_jsonl",
    "split_vornamen",
    "write_jsonl",
]
