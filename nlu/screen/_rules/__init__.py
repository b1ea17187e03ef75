"""The screen's rule catalogues, one module per category of risk; `_matching` puts them in order."""
