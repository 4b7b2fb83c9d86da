"""The search queue: documents to refresh in the index, written in the same transaction as the
change that affects them (so a rolled-back change never reaches the index, and a change made
while another process holds the index lock is not lost)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db


class SearchQueueItem(db.Model):
    """One document to refresh. Ids are never reused: a writer deletes the rows it read after
    letting the index lock go, so a reused id could delete a newer change (SQLite otherwise
    hands out the highest id plus one, bringing back an id just deleted; PostgreSQL sequences
    never go back)."""

    __tablename__ = "search_queue"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(40), index=True)  # "service:12", "provider:3", "broker:5"
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
