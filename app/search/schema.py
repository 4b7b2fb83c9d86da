"""The Whoosh schema for directory documents (community services, providers, brokers).

Words are matched in `content` (everything people might search for, stemmed, with positions
for "phrases"); `name`, `tags` and `labels` only rank the matches (see service.py). Filters and counts
read the keyword, boolean and date fields into bitmasks (facets.py), so the date fields are
sortable (kept in columns).
"""

from __future__ import annotations

from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

STEMMED = StemmingAnalyzer()  # lower-case, stop words, Porter stemming: "carers" finds "carer"

SCHEMA = Schema(
    id=ID(stored=True, unique=True),  # "service:12", "provider:3", "broker:5"
    kind=ID(stored=True),
    content=TEXT(analyzer=STEMMED),  # name, kinds of service, tags and description
    name=TEXT(analyzer=STEMMED, phrase=False),  # matches in the name rank first
    tags=TEXT(analyzer=STEMMED, phrase=False),  # name and tags (the entry's own key words): rank next
    labels=TEXT(analyzer=STEMMED, phrase=False),  # name, kinds of service and tags: then these
    name_exact=ID(),  # the whole name, lower-cased: an exact name match ranks first of all
    sort_name=ID(sortable=True),  # A to Z within equally good matches
    spell=TEXT(analyzer=StandardAnalyzer(stoplist=None), phrase=False, spelling=True),  # "Did you mean"
    categories=KEYWORD(stored=True, commas=True),
    districts=KEYWORD(stored=True, commas=True, lowercase=True),
    languages=KEYWORD(stored=True, commas=True),
    accessibility=KEYWORD(stored=True, commas=True),
    free=BOOLEAN(stored=True),
    located=BOOLEAN(),  # has an address people can go to (Open Referral "service at location")
    rating=NUMERIC(int, bits=32, stored=True, sortable=True, default=0),  # average rating x 10
    last_verified=DATETIME(stored=True),
    verified_until=DATETIME(sortable=True),  # after this the information "may be out of date"
    accepting_until=DATETIME(sortable=True),  # taking clients / spare capacity up to date, until then
    listed_until=DATETIME(sortable=True),  # brokers drop out when their DBS or insurance runs out
    display=STORED(),  # what the results page shows, so no database query per result
)

# Matches are ranked by tiers and names (service.py), never by Whoosh's scores, so the text
# fields need no field lengths: not writing them makes building the index faster.
for _name in ("content", "name", "tags", "labels", "spell"):
    SCHEMA[_name].scorable = False
