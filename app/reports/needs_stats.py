"""How quickly a hub's needs are met, from the needs' own dates (published, first provider told,
first offer, accepted). A need counts in the period it was first published in, and is reported
as it stands now.

- Posted: published in the period. Open: still open for offers, or closed and being chosen
  from. Filled: an offer accepted. Withdrawn: withdrawn by the broker.
- Time to first offer: from publishing to the first offer, for the needs that have one. Time to
  filled: from publishing to the acceptance, for the filled needs. (Median and 90th percentile:
  see `stats`.)
- Filled within 30 days: of the needs whose first 30 days have passed, or that were filled
  sooner, the share filled within 30 days of publishing (the council's 90% standard). A need
  withdrawn (no longer needed) is not counted.
- First provider told within 4 hours: the share where the first provider was told within 4
  hours of the need being ready, the moment the referral was complete: when the person agreed
  to what it shares (or its publishing, if that came first). The council's standard is to start
  sourcing within 4 hours. A need no provider was ever told about does not meet it; one ready
  less than 4 hours ago, with nobody told yet, is not counted yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from sqlalchemy import case, select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.extensions import db
from app.holders.models import Consent
from app.needs.models import Need, NeedStatus, Urgency
from app.reports.period import Period
from app.reports.sql import broker_name, hours_of, seconds_between
from app.reports.stats import median, percentile, share
from app.taxonomy.models import ServiceCategory

FILL_STANDARD = timedelta(days=30)
FILL_STANDARD_HOURS = 30 * 24
TELL_STANDARD_HOURS = 4


@dataclass(frozen=True, slots=True)
class NeedRow:
    """A need as the report counts it: the hours from publishing to each step (worked out by the
    database), and, for the lists behind the numbers, what it was and who posted it."""

    id: int
    hub_id: int
    status: NeedStatus
    urgency: Urgency
    hours_to_first_told: float | None  # from the need being ready
    hours_to_first_offer: float | None
    hours_to_accepted: float | None
    month_old: bool  # its first 30 days have passed
    tell_due: bool  # 4 hours have passed since it was ready
    category: str = ""
    district: str = ""
    broker: str = ""
    published_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in (NeedStatus.OPEN, NeedStatus.CLOSED)

    @property
    def is_filled(self) -> bool:
        return self.status == NeedStatus.FILLED and self.hours_to_accepted is not None

    @property
    def has_offer(self) -> bool:
        return self.hours_to_first_offer is not None

    @property
    def hours_to_filled(self) -> float | None:
        return self.hours_to_accepted if self.is_filled else None

    @property
    def told_in_time(self) -> bool:
        return self.hours_to_first_told is not None and self.hours_to_first_told <= TELL_STANDARD_HOURS

    @property
    def filled_in_time(self) -> bool:
        return self.is_filled and self.hours_to_accepted <= FILL_STANDARD_HOURS

    @property
    def fill_known(self) -> bool:
        """Whether it counts for "filled within 30 days": known by now, and still needed."""
        return self.status != NeedStatus.WITHDRAWN and (self.filled_in_time or self.month_old)

    @property
    def tell_known(self) -> bool:
        """Whether it counts for "told within 4 hours" yet."""
        return self.told_in_time or self.tell_due


def need_rows(hub_ids: list[int], period: Period, now: datetime, *, detail: bool = False) -> list[NeedRow]:
    """The needs first published in the period by brokers of these hubs (one query); with
    `detail`, what each was and who posted it, for a list."""
    first_told = Need.first_told_at
    ready = ready_at()
    columns = [Need.id, BrokerProfile.hub_id, Need.status, Need.urgency,
               seconds_between(ready, first_told), seconds_between(Need.published_at, Need.first_offer_at),
               seconds_between(Need.published_at, Need.accepted_at),
               Need.published_at <= now - FILL_STANDARD, ready <= now - timedelta(hours=TELL_STANDARD_HOURS)]
    query = (select(*columns).join(BrokerProfile, BrokerProfile.id == Need.broker_id)
             .outerjoin(Consent, Consent.id == Need.sharing_consent_id))
    if detail:
        query = (query.add_columns(ServiceCategory.name, Need.district, broker_name, Need.published_at)
                 .join(User, User.id == BrokerProfile.user_id)
                 .join(ServiceCategory, ServiceCategory.id == Need.category_id))
    query = query.where(BrokerProfile.hub_id.in_(hub_ids), Need.published_at >= period.start,
                        Need.published_at < period.end).order_by(Need.published_at, Need.id)
    return [NeedRow(id_, hub_id, status, urgency, hours_of(told), hours_of(offer), hours_of(accepted), bool(old),
                    bool(due), *rest)
            for id_, hub_id, status, urgency, told, offer, accepted, old, due, *rest in db.session.execute(query)]


def ready_at():
    """When a need was ready (needs `consents` outer-joined on its sharing consent): the person's
    agreement to what it shares, or its publishing if that came first (the agreements recorded
    for needs published before OurChoice asked need by need are dated later)."""
    return case((Consent.given_at < Need.published_at, Consent.given_at), else_=Need.published_at)


@dataclass(frozen=True)
class NeedStats:
    rows: list[NeedRow]
    now: datetime

    @cached_property
    def posted(self) -> int:
        return len(self.rows)

    @cached_property
    def open(self) -> int:
        return sum(1 for r in self.rows if r.is_open)

    @cached_property
    def filled(self) -> int:
        return sum(1 for r in self.rows if r.is_filled)

    @cached_property
    def withdrawn(self) -> int:
        return sum(1 for r in self.rows if r.status == NeedStatus.WITHDRAWN)

    @cached_property
    def _to_first_offer(self) -> list[float]:
        return [r.hours_to_first_offer for r in self.rows if r.hours_to_first_offer is not None]

    @cached_property
    def _to_filled(self) -> list[float]:
        return [r.hours_to_filled for r in self.rows if r.hours_to_filled is not None]

    @property
    def first_offer_median(self) -> float | None:
        return median(self._to_first_offer)

    @property
    def first_offer_p90(self) -> float | None:
        return percentile(self._to_first_offer, 90)

    @property
    def filled_median(self) -> float | None:
        return median(self._to_filled)

    @property
    def filled_p90(self) -> float | None:
        return percentile(self._to_filled, 90)

    @cached_property
    def fill_counted(self) -> list[NeedRow]:
        return [r for r in self.rows if r.fill_known]

    @property
    def filled_in_30_days(self) -> int | None:
        counted = self.fill_counted
        return share(sum(1 for r in counted if r.filled_in_time), len(counted))

    @cached_property
    def tell_counted(self) -> list[NeedRow]:
        return [r for r in self.rows if r.tell_known]

    @property
    def told_in_4_hours(self) -> int | None:
        counted = self.tell_counted
        return share(sum(1 for r in counted if r.told_in_time), len(counted))

    def only(self, urgency: Urgency) -> NeedStats:
        return NeedStats([r for r in self.rows if r.urgency == urgency], self.now)


# What each number counts: the list behind it shows exactly these needs.
BEHIND = {
    "posted": ("Needs posted", lambda s: s.rows),
    "open": ("Needs still open", lambda s: [r for r in s.rows if r.is_open]),
    "filled": ("Needs filled", lambda s: [r for r in s.rows if r.is_filled]),
    "withdrawn": ("Needs withdrawn", lambda s: [r for r in s.rows if r.status == NeedStatus.WITHDRAWN]),
    "first_offer": ("Time to first offer: the needs with an offer", lambda s: [r for r in s.rows if r.has_offer]),
    "to_filled": ("Time to filled: the needs filled", lambda s: [r for r in s.rows if r.is_filled]),
    "within_30": ("Filled within 30 days: the needs still needed whose first 30 days have passed, or "
                  "filled sooner", lambda s: s.fill_counted),
    "told_4h": ("First provider told within 4 hours: the needs ready at least 4 hours ago, or told sooner",
                lambda s: s.tell_counted),
}
