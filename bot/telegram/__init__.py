"""Telegram: the channel that talks to the Bot API (channel.py) and how replies look there (render.py)."""

from bot.telegram.channel import TELEGRAM_KEY, setup_telegram

__all__ = ["TELEGRAM_KEY", "setup_telegram"]
