"""State shared by several gateway processes through Redis (NIGHTLIGHT_REDIS_URL), each part with a fallback to
this gateway's memory when Redis is off or down: the connection (link.py), events between gateways (bus.py),
counts each gateway holds a part of (tally.py), supporters' presence (presence.py), rate limits (limits.py), and
all of it made from the settings (state.py).

Only ids, counts and supporters' first names are ever written to Redis; ids about her are hashed (`Keys.hashed`).
"""

from bot.shared.bus import Event, EventBus, Listener
from bot.shared.limits import RateLimits, RateWindow
from bot.shared.link import DEFAULT_PREFIX, Keys, RedisLink, Status, Unavailable
from bot.shared.presence import Presence
from bot.shared.state import SharedState
from bot.shared.tally import HEARTBEAT_SECONDS, LIVE_SECONDS, Tally

__all__ = [
    "DEFAULT_PREFIX",
    "HEARTBEAT_SECONDS",
    "LIVE_SECONDS",
    "Event",
    "EventBus",
    "Keys",
    "Listener",
    "Presence",
    "RateLimits",
    "RateWindow",
    "RedisLink",
    "SharedState",
    "Status",
    "Tally",
    "Unavailable",
]
