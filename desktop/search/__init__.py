"""Search as you type over the local store, with highlighted snippets."""

from desktop.search.results import SearchResultsView
from desktop.search.search_box import SearchBox

__all__ = ["SearchBox", "SearchResultsView"]
