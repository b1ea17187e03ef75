"""Fixtures shared by every suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.contacts import Contacts
from bot.settings import PROJECT_ROOT

CONTACTS_PATH = PROJECT_ROOT / "data" / "crisis_contacts.yaml"


@pytest.fixture(scope="session")
def contacts() -> Contacts:
    """The real contacts data file."""
    return Contacts.load(CONTACTS_PATH)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The real Rasa model for the current training data: trained once per run, cached by content hash."""
    from bot.processes.training import ensure_model

    model, _ = ensure_model(PROJECT_ROOT, PROJECT_ROOT / "models", RASA_BIN)
    return model
