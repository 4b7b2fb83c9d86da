"""Associate brokers."""
