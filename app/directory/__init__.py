"""The public directory: community services, plus verified providers and accredited brokers
from their own profiles; suggestions moderated by hub leads; staleness checks."""
