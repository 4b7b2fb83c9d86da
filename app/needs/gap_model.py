"""The gap model (kept apart from the needs' models, which it sits beside: `app.needs.models`
exports it too)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class GapReason(LabelledEnum):
    UNFILLED = "unfilled", "Not filled within 3 days"
    RAISED = "raised", "Raised by the broker"


class Gap(db.Model):
    """Support the market could not provide: a need unfilled 3 days after publishing, or raised
    by a broker (about a posted need, or on its own when nothing could even be posted). Kept for
    the hub's reports by service category and district, with the hub's response, which the
    broker and the person affected see."""

    __tablename__ = "gaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id"), unique=True)  # None: raised on its own
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id"), index=True)  # the hub asked to respond
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id"), index=True)  # told of the response
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("budget_holders.id"), index=True)  # the person affected
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"))
    district: Mapped[str] = mapped_column(String(8))
    reason: Mapped[GapReason] = mapped_column(StrEnum(GapReason))
    needed: Mapped[str] = mapped_column(Text, default="", server_default="")  # what was needed
    note: Mapped[str] = mapped_column(Text, default="")  # what happened
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    response: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the need was filled later
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the hub lead closed it, with a response
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    need = relationship("Need", back_populates="gap")
    hub = relationship("Hub")
    broker = relationship("BrokerProfile")
    holder = relationship("BudgetHolder")
    category = relationship("ServiceCategory")
    raised_by = relationship("User", foreign_keys=[raised_by_id])
    responded_by = relationship("User", foreign_keys=[responded_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])

    @property
    def about(self) -> str:
        """"Home care in W9": what the gap was for, and where."""
        return f"{self.category.name} in {self.district}"
