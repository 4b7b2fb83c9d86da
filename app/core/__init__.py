"""Shared services every feature uses: permissions, audit log, notifications and outbox,
errors, time and money helpers, and the site-wide pages."""
