"""The search feature's front door: what other features and commands call.

- Searching the directory: `search(text, Filters(...), sort=..., near=...)` -> `Results`;
  `search_correcting(...)` answers a misspelling that finds nothing with its suggestion's results;
  `split_query` and `languages_in` say what the words hold besides words (districts, languages).
- Registering what is indexed (from a feature's `search_documents.py`): `register_kind`,
  `affects`, `rates`, with `document(...)` to build a document and `doc_ids` to name them.
- Operating the index of the backend in use (`SEARCH_BACKEND`: Whoosh files, or PostgreSQL):
  `reindex(progress=reporter(total))`, `process_queue()`, `backlog()`, `listing_count()`,
  `health()`, `backend_label()`, `location()`.
"""

from __future__ import annotations

from app.search.documents import FOREVER, document, document_of, end_of_day
from app.search.index import IndexUnavailable, LockError, index_dir
from app.search.progress import reporter
from app.search.query import Corrected, languages_in, search, search_correcting, split_query
from app.search.queue import (
    UncommittedWork,
    backlog,
    can_rebuild_on_the_web,
    listing_count,
    process_queue,
    reindex,
)
from app.search.registry import Doc, Group, Rating, affects, doc_ids, rates, rating, register_kind
from app.search.results import ACCESSIBILITY, KINDS, PAGE_SIZE, SORTS, Filters, Hit, Results
from app.search.status import backend_label, health, location

__all__ = [
    "ACCESSIBILITY", "FOREVER", "KINDS", "PAGE_SIZE", "SORTS", "Corrected", "Doc", "Filters", "Group", "Hit",
    "IndexUnavailable", "LockError", "Rating", "Results", "UncommittedWork", "affects", "backend_label", "backlog",
    "can_rebuild_on_the_web", "doc_ids", "document", "document_of", "end_of_day", "health", "index_dir", "languages_in",
    "listing_count", "location", "process_queue", "rates", "rating", "register_kind", "reindex", "reporter", "search",
    "search_correcting", "split_query",
]
