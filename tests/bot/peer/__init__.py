"""tests/bot/peer."""
