"""`python -m bot` is the `nightlight` command."""

from bot.cli import main

main()
