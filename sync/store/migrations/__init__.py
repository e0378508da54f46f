"""Alembic migrations of the local store (see ``env.py``)."""

# Tables written by hand in migrations (FTS5 and its helpers) are not in the ORM metadata;
# without this filter, autogenerate would propose to drop them.
HAND_WRITTEN = ("search_", "document_texts")


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(HAND_WRITTEN))
