"""The service category taxonomy, shared by provider services, needs and the directory, and
published as Open Referral UK taxonomy terms."""
