"""The message contract: XÖV-style schemas, code lists, the hardened parser and validation."""

from datenspiegel.xsd.errors import (
    MessageError,
    MessageNotWellFormed,
    MessageSchemaInvalid,
    SchemaIssue,
    UnsafeMessage,
)
from datenspiegel.xsd.loader import (
    DSIG_NAMESPACE,
    MAIN_SCHEMA,
    NAMESPACE,
    SCHEMA_VERSION,
    schema_directory,
    schema_files,
    schema_path,
)
from datenspiegel.xsd.parsing import ParserLimits, parse_message, serialize
from datenspiegel.xsd.validation import MessageValidator

__all__ = [
    "DSIG_NAMESPACE",
    "MAIN_SCHEMA",
    "NAMESPACE",
    "SCHEMA_VERSION",
    "MessageError",
    "MessageNotWellFormed",
    "MessageSchemaInvalid",
    "MessageValidator",
    "ParserLimits",
    "SchemaIssue",
    "UnsafeMessage",
    "parse_message",
    "schema_directory",
    "schema_files",
    "schema_path",
    "serialize",
]
