"""tests/bot/api."""
