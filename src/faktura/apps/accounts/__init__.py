"""Sellers (organizations), the people who work for them, their roles and API keys."""
