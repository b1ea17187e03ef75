"""Safety across a conversation: her nation and whether a crisis was recent, kept between messages (state.py), and
the direct question asked when the screen is unsure (check.py). The screen itself is `nlu.screen`; the crisis
replies are `bot.crisis`."""
