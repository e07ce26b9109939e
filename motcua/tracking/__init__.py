"""Citizen tracking (/tra-cuu/): lookup by code + PIN, what a citizen may see, rate limits."""
