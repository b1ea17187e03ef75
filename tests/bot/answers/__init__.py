"""tests/bot/answers."""
