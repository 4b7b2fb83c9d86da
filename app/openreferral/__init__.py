"""Open Referral UK open-data API for the public directory."""
