"""Random single-use tokens for links sent by email. Only the hash is ever stored."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from app.extensions import db


def new_token() -> tuple[str, str]:
    """(raw token for the link, hash for the database)."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def find_by_token(model, raw: str):
    """The row of `model` whose `token_hash` is the hash of the token in a link (None if none)."""
    return db.session.scalar(select(model).where(model.token_hash == hash_token(raw or "")))
