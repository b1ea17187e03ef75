"""Nightlight's NLU data and its deterministic safety screen."""
