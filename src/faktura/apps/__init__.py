"""Django apps, one per bounded area; they talk through services and selectors."""
