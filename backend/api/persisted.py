"""Persisted documents: the GraphQL documents of `graphql/operations/`, known by their hash.

The web interface sends a document's id (`"documentId": "sha256:<hex>"`, the GraphQL over
HTTP convention for persisted documents) instead of its text, and the server answers the
text it holds under that id. An id is the SHA-256 of the file's exact UTF-8 text, so a
changed file is a new document with a new id, and a page built before the change asks for
an id the server no longer knows (and then sends the text instead).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from backend.api.schema import RungsSchema
from backend.operations import document_id
from graphql import GraphQLError, GraphQLSyntaxError, OperationDefinitionNode, OperationType, parse

__all__ = ["PersistedDocument", "PersistedDocumentError", "PersistedDocuments", "document_id", "prepared"]


class PersistedDocumentError(ValueError):
    """A document of the operations folder the server cannot answer; the message names its file."""


@dataclass(frozen=True, slots=True)
class PersistedDocument:
    id: str  # "sha256:" + hex SHA-256 of the file's exact UTF-8 text
    name: str  # the file's stem, which is its operation's name
    text: str
    is_query: bool  # its operation is a query (not a mutation)


class PersistedDocuments:
    """The documents of one folder, by id and by text."""

    def __init__(self, documents: list[PersistedDocument]) -> None:
        self._by_id = {document.id: document for document in documents}
        self._by_text = {document.text: document for document in documents}

    @classmethod
    def from_directory(cls, directory: Path) -> PersistedDocuments:
        """Each `*.graphql` file of `directory`, which must hold one operation named like the file."""
        return cls([_read(path) for path in sorted(directory.glob("*.graphql"))])

    def by_id(self, document_id: str) -> PersistedDocument | None:
        return self._by_id.get(document_id)

    def by_text(self, text: str) -> PersistedDocument | None:
        return self._by_text.get(text)

    def __iter__(self) -> Iterator[PersistedDocument]:
        return iter(self._by_id.values())


def _read(path: Path) -> PersistedDocument:
    # Bytes decoded as they are: reading as text would translate line endings, and the id
    # is the hash of exactly what /operations/ serves.
    text = path.read_bytes().decode()
    try:
        definitions = parse(text, no_location=True).definitions
    except GraphQLSyntaxError as error:
        raise PersistedDocumentError(f"{path} is not a GraphQL document: {error.message}") from None
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    names = [operation.name.value if operation.name else None for operation in operations]
    if names != [path.stem]:
        raise PersistedDocumentError(f"{path} must hold one operation, named {path.stem}")
    return PersistedDocument(
        id=document_id(text),
        name=path.stem,
        text=text,
        is_query=operations[0].operation is OperationType.QUERY,
    )


# Once per process and schema: validating every document takes a good half second, and each
# test builds an app.
@cache
def prepared(directory: Path, schema: RungsSchema) -> PersistedDocuments:
    """The documents of `directory`, each parsed and validated now through the schema's
    caches, so that the first request sending one pays for neither. A document the schema
    refuses stops the app from starting, naming its file."""
    documents = PersistedDocuments.from_directory(directory)
    for document in documents:
        try:
            errors = schema.prepare(document.text)
        except GraphQLError as error:
            errors = [error]
        if errors:
            raise PersistedDocumentError(
                f"{directory / document.name}.graphql does not validate against the schema: "
                + " ".join(error.message for error in errors)
            )
    return documents
