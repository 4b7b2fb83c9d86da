"""Support plans: written together, submitted to a funder, signed by both, reviewed on time."""
