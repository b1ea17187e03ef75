"""tests/bot/peer/console."""
