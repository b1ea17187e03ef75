"""The service directory: HSDS models, import and export, UK places, opening times and search."""
