"""Platform administration: audit log, invitations, funding bodies."""
