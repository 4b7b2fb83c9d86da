"""Provider organisations and their staff."""
