"""tests/bot/processes."""
