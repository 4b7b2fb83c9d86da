"""Full-text search over the directory with Whoosh, kept in step with the database through a
queue written in the same transaction as each change (see queue.py)."""
