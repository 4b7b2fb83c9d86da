"""Full-text search over the directory with Whoosh, kept in step with the database through a
queue written in the same transaction as each change (see queue.py). Features register the
documents they own, and the changes that affect them, in registry.py."""
