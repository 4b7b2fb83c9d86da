"""Funding bodies and their officers."""
