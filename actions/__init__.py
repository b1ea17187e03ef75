"""Custom actions for the Rasa assistant, one per module; each is thin and always leaves her a reply."""
