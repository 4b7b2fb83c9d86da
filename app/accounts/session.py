"""Flask-Login wiring: the session holds "user id:session token", so rotating the token
(password change, account closed) signs the user out of every other session."""

from __future__ import annotations

from flask import Flask

from app.extensions import db, login_manager


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str):
        from app.accounts.models import User

        user_id, _, token = identity.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_token != token or not user.is_active:
            return None
        return user
