"""Budget holders: the people with a personal budget, who own their records."""
