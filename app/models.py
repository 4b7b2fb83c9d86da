"""Imports every model so SQLAlchemy (and Alembic autogenerate) sees the whole schema."""

from app.accounts.models import AuthToken, User  # noqa: F401
from app.brokers.models import (  # noqa: F401
    AccreditedCourse,
    BrokerConflict,
    BrokerDistrict,
    BrokerFee,
    BrokerProfile,
    StandardsAcceptance,
    StandardsVersion,
    Verification,
)
from app.core.models import AuditEvent, Notification, NotificationPreference, OutboxMessage  # noqa: F401
from app.directory.models import (  # noqa: F401
    DirectoryEntry,
    DirectoryEntryCategory,
    DirectoryEntryDistrict,
    Suggestion,
)
from app.engagements.models import Band, BandChangeRequest, BrokerRequest, Engagement, Review, TimeEntry  # noqa: F401
from app.funders.models import FundingBody, FundingOfficer  # noqa: F401
from app.holders.models import BudgetHolder, Consent, Delegation, HolderClaim  # noqa: F401
from app.hubs.models import Hub, HubDistrict, HubLead  # noqa: F401
from app.invitations.models import Invitation  # noqa: F401
from app.ledger.books import LedgerAccount, LedgerEntry, LedgerTransaction  # noqa: F401
from app.ledger.models import Company, FundingStream, Receipt, StreamChange  # noqa: F401
from app.needs.models import (  # noqa: F401
    Gap,
    Need,
    NeedEvent,
    NeedInvitation,
    NeedPrivateDetails,
    NeedRecipient,
    Offer,
    OfferMessage,
    ServiceAgreement,
)
from app.payments.card_models import CardCheckout, PayoutAccount, StripeEvent  # noqa: F401
from app.payments.models import (  # noqa: F401
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    Payment,
    PaymentPart,
    StandingApproval,
)
from app.plans.models import (  # noqa: F401
    IndicativeBudget,
    PlanChangeRequest,
    PlanEdit,
    PlanLine,
    PlanMessage,
    PlanReview,
    PlanSignature,
    PlanVersion,
    SupportPlan,
)
from app.providers.models import (  # noqa: F401
    CapacitySlot,
    ProviderDistrict,
    ProviderOrganisation,
    ProviderService,
    ProviderStaff,
)
from app.search.models import SearchQueueItem  # noqa: F401
from app.taxonomy.models import ServiceCategory  # noqa: F401
