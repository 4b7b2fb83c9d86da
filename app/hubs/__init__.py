"""Franchise hubs and their leads."""
