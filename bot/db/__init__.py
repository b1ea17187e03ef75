"""The gateway's own databases: a SQLite file per store in the data folder by default, or one PostgreSQL database
shared by every gateway (NIGHTLIGHT_GATEWAY_DATABASE_URL)."""

from bot.db.base import SQLStore, Where, is_postgresql
from bot.db.files import private_dir, private_file
from bot.db.leases import Leases, gateway_id

__all__ = ["Leases", "SQLStore", "Where", "gateway_id", "is_postgresql", "private_dir", "private_file"]
