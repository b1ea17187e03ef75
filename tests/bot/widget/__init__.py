"""tests/bot/widget."""
