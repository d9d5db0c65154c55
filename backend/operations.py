"""What names a GraphQL document of graphql/operations/: the id the web page sends for it
(backend/shell.py) and the server knows it by (backend/api/persisted.py)."""

import hashlib


def document_id(text: str) -> str:
    """ "sha256:" and the hex SHA-256 of the document's exact UTF-8 text."""
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
