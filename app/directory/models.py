"""Community services in the directory, and suggestions from anyone signed in."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.districts import district_key
from app.core.enums import LabelledEnum
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


def new_uuid() -> str:
    return str(uuid.uuid4())


class EntryStatus(LabelledEnum):
    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden"
    MERGED = "merged", "Merged into another entry"  # a duplicate, folded into another entry


class DirectoryEntry(db.Model):
    """A community service: a group, club, advice service, peer support, day centre, or a
    small local service nobody else lists."""

    __tablename__ = "directory_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    opening_times: Mapped[str] = mapped_column(Text, default="")
    is_free: Mapped[bool] = mapped_column(default=True)
    cost: Mapped[str] = mapped_column(String(300), default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    accessibility: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[EntryStatus] = mapped_column(StrEnum(EntryStatus), default=EntryStatus.PUBLISHED, index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("directory_entries.id"))
    last_verified_on: Mapped[date | None] = mapped_column(Date)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    categories = relationship("DirectoryEntryCategory", back_populates="entry", cascade="all, delete-orphan")
    districts = relationship("DirectoryEntryDistrict", back_populates="entry", cascade="all, delete-orphan")
    verified_by = relationship("User")
    merged_into = relationship("DirectoryEntry", remote_side=[id])

    @property
    def district_codes(self) -> list[str]:
        return sorted((d.district for d in self.districts), key=district_key)

    @property
    def category_ids(self) -> list[int]:
        return [c.category_id for c in self.categories]

    @property
    def is_published(self) -> bool:
        """Shown in the public directory."""
        return self.status == EntryStatus.PUBLISHED

    @property
    def is_hidden(self) -> bool:
        return self.status == EntryStatus.HIDDEN

    @property
    def is_merged(self) -> bool:
        """A duplicate folded into another entry: it can never be shown again."""
        return self.status == EntryStatus.MERGED


class DirectoryEntryCategory(db.Model):
    __tablename__ = "directory_entry_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("directory_entries.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"), index=True)

    entry = relationship("DirectoryEntry", back_populates="categories")
    category = relationship("ServiceCategory")

    __table_args__ = (UniqueConstraint("entry_id", "category_id"),)


class DirectoryEntryDistrict(db.Model):
    __tablename__ = "directory_entry_districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("directory_entries.id", ondelete="CASCADE"), index=True)
    district: Mapped[str] = mapped_column(String(8), index=True)

    entry = relationship("DirectoryEntry", back_populates="districts")

    __table_args__ = (UniqueConstraint("entry_id", "district"),)


class SuggestionStatus(LabelledEnum):
    PENDING = "pending", "Waiting for the hub"
    APPROVED = "approved", "Approved"
    MERGED = "merged", "Merged with an existing entry"
    REJECTED = "rejected", "Not accepted"


class Suggestion(db.Model):
    """A new community service, or a correction to any directory entry, suggested by anyone
    signed in and decided by the hub lead for that district."""

    __tablename__ = "directory_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the suggestion is about: nothing (a new service), or an entry / provider / broker.
    target_kind: Mapped[str | None] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column(Integer)
    district: Mapped[str] = mapped_column(String(8), index=True)
    proposed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    suggested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[SuggestionStatus] = mapped_column(StrEnum(SuggestionStatus), default=SuggestionStatus.PENDING,
                                                     index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("directory_entries.id"))  # the entry made or changed

    suggested_by = relationship("User", foreign_keys=[suggested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    entry = relationship("DirectoryEntry")

    @property
    def is_new_service(self) -> bool:
        return self.target_kind is None

    @property
    def is_pending(self) -> bool:
        """Not decided yet."""
        return self.status == SuggestionStatus.PENDING
