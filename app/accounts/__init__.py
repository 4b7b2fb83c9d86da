"""Accounts: registration, email verification, signing in and out, passwords, settings,
closing an account."""
