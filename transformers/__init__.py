"""Pure transformations: XÖV request → register query; register rows → XÖV answer."""

from datenspiegel.transformers.answer import AnswerDocument, build_answer, build_rueckweisung
from datenspiegel.transformers.disclosure import (
    MAX_TREFFER,
    Disclosure,
    Requester,
    decide_disclosure,
)
from datenspiegel.transformers.errors import BusinessRejection, TransformError, UnsupportedMessage
from datenspiegel.transformers.header import Behoerde, Nachrichtenkopf
from datenspiegel.transformers.request import (
    AnfragendeStelle,
    PersonensucheRequest,
    read_personensuche,
)
from datenspiegel.transformers.ruecksendung import build_ruecksendung
from datenspiegel.transformers.suchdaten import LAND_NIEDERSACHSEN, check_personensuche_query

__all__ = [
    "LAND_NIEDERSACHSEN",
    "MAX_TREFFER",
    "AnfragendeStelle",
    "AnswerDocument",
    "Behoerde",
    "BusinessRejection",
    "Disclosure",
    "Nachrichtenkopf",
    "PersonensucheRequest",
    "Requester",
    "TransformError",
    "UnsupportedMessage",
    "build_answer",
    "build_ruecksendung",
    "build_rueckweisung",
    "check_personensuche_query",
    "decide_disclosure",
    "read_personensuche",
]
