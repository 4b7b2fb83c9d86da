"""Needs and offers: brokers post their clients' needs, providers apply to do the job, the
broker shortlists and proposes, the budget holder accepts, and a service agreement starts."""
