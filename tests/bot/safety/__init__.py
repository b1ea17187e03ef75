"""tests/bot/safety."""
