"""Full-text search over the local store (Qt-free).

``index`` keeps the FTS5 index in step with the records, ``engine`` answers queries, and
``folding``/``query``/``highlight`` hold the German-aware spelling rules behind both.
"""

from sync.search.engine import SearchFilters, SearchHit, search
from sync.search.folding import fold
from sync.search.index import (
    index_document,
    rebuild_index,
    remove_from_index,
    set_document_text,
)

__all__ = [
    "SearchFilters",
    "SearchHit",
    "fold",
    "index_document",
    "rebuild_index",
    "remove_from_index",
    "search",
    "set_document_text",
]
