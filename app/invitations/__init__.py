"""Invitations to roles that cannot be self-registered."""
