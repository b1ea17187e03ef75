"""tests/bot/telegram."""
