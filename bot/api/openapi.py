"""The REST API's OpenAPI 3.0 description, served at /api/v1/openapi.json and checked against the app by the tests."""

from __future__ import annotations

from typing import Any

from bot.peer.handoff import Status
from nlu.screen import CATEGORIES, LEVELS

KINDS = ["answer", "crisis", "safety-check", "fallback", "handoff", "supporter"]

_STRING = {"type": "string"}
_LINK = {
    "type": "object",
    "required": ["title", "url"],
    "properties": {"title": _STRING, "url": {"type": "string", "pattern": "^https://"}},
}
_ROUTE = {
    "type": "object",
    "description": "A help route from the contacts data, with links to call or text it in one tap.",
    "required": ["id", "name", "line"],
    "properties": {
        "id": _STRING,
        "name": _STRING,
        "line": _STRING,
        "hours": _STRING,
        "tel": {"type": "string", "pattern": "^tel:"},
        "call": _STRING,
        "sms": {"type": "string", "pattern": "^sms:"},
        "text": _STRING,
        "checked": {"type": "string", "format": "date"},
    },
}
_MESSAGE = {
    "type": "object",
    "required": ["text", "buttons", "kind"],
    "properties": {
        "text": _STRING,
        "kind": {"type": "string", "enum": KINDS},
        "buttons": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "payload"],
                "properties": {"title": _STRING, "payload": {"type": "string", "pattern": "^/"}},
            },
        },
        "link": _LINK,
        "card": {"type": "object", "description": "A service found in the directory."},
        "routes": {"type": "array", "items": {"$ref": "#/components/schemas/Route"}},
    },
}
_SAFETY = {
    "type": "object",
    "required": ["level", "categories"],
    "properties": {
        "level": {"type": "string", "enum": list(LEVELS)},
        "categories": {"type": "array", "items": {"type": "string", "enum": list(CATEGORIES)}},
        "ask": {"type": "boolean"},
    },
}
_TURN = {
    "type": "object",
    "required": ["messages", "safety", "handoff"],
    "properties": {
        "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
        "safety": {"$ref": "#/components/schemas/Safety"},
        "handoff": {
            "nullable": True,
            "type": "object",
            "required": ["status"],
            "description": "Her request for a peer supporter, while there is one.",
            "properties": {
                "status": {"type": "string", "enum": [status.value for status in Status]},
                "supporter_name": {
                    "type": "string",
                    "nullable": True,
                    "description": "While the status is claimed: the first name of the peer supporter with her.",
                },
            },
        },
    },
}
_ERROR = {
    "type": "object",
    "required": ["error"],
    "description": (
        "Every refusal says what was wrong and what to do. `messages` carries the 24/7 routes, or the crisis reply "
        "when what was refused reads as a crisis; `safety` is the screen's verdict on it."
    ),
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": _STRING, "message": _STRING},
        },
        "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
        "safety": {"$ref": "#/components/schemas/Safety"},
    },
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


_CONVERSATION_ID = {
    "name": "conversation_id",
    "in": "path",
    "required": True,
    "description": "Your id for the conversation: 1-128 letters, digits, '.', '_', ':' or '-'.",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$"},
}
_REFUSALS = {
    "400": _error("Malformed: not JSON, nested too deep, not valid Unicode, or neither text nor payload."),
    "401": _error("No API key, or not a valid one."),
    "413": _error("The message or the request is too large (a crisis in it still gets the crisis reply)."),
    "414": _error("The address is too long."),
    "503": _error(
        "No API keys are configured, or the message could not be stored just now (`store_unavailable`: send it "
        "again; a crisis in it still gets the crisis reply)."
    ),
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Nightlight REST API",
        "version": "1",
        "description": (
            "Send what a mother typed, or the payload of a button she pressed, and get Nightlight's reply. Every "
            "typed message is screened for risk first; a crisis is answered by the gateway at once."
        ),
    },
    "paths": {
        "/api/v1/conversations/{conversation_id}/messages": {
            "post": {
                "summary": "Send one message and get the reply",
                "security": [{"bearer": []}],
                "parameters": [_CONVERSATION_ID],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {
                                        "type": "object",
                                        "required": ["text"],
                                        "properties": {"text": {"type": "string", "maxLength": 2000}},
                                        "additionalProperties": False,
                                    },
                                    {
                                        "type": "object",
                                        "required": ["payload"],
                                        "properties": {"payload": {"type": "string", "pattern": "^/[a-z]"}},
                                        "additionalProperties": False,
                                    },
                                ]
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Nightlight's reply.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Turn"}}},
                    },
                    **_REFUSALS,
                },
            }
        },
        "/api/v1/conversations/{conversation_id}": {
            "delete": {
                "summary": "Delete my data: everything about this conversation, from every store",
                "security": [{"bearer": []}],
                "parameters": [_CONVERSATION_ID],
                "responses": {
                    "200": {
                        "description": "Deleted.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["deleted"],
                                    "properties": {"deleted": {"type": "boolean"}},
                                }
                            }
                        },
                    },
                    **{code: response for code, response in _REFUSALS.items() if code != "413"},
                },
            }
        },
        "/healthz": {
            "get": {
                "summary": "Ready once Rasa has a model loaded, the action server answers and messages can be stored",
                "responses": {
                    code: {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["status", "rasa", "actions", "risk_model", "redis", "database"],
                                    "properties": {
                                        "status": {"type": "string", "enum": ["ok", "degraded", "unavailable"]},
                                        "rasa": {"type": "boolean"},
                                        "rasa_servers": {
                                            "type": "object",
                                            "additionalProperties": {"type": "boolean"},
                                            "description": "each Rasa server, by URL: whether it has a model loaded",
                                        },
                                        "actions": {"type": "boolean"},
                                        "risk_model": {
                                            "type": "string",
                                            "description": '"loaded", or why the screen runs on its rules alone',
                                        },
                                        "redis": {
                                            "type": "string",
                                            "enum": ["ok", "down", "off"],
                                            "description": "the state shared between gateways: off when "
                                            "NIGHTLIGHT_REDIS_URL is empty; down (and status degraded) when it "
                                            "cannot be reached, and each gateway works from its own memory",
                                        },
                                        "database": {
                                            "type": "string",
                                            "enum": ["ok", "down"],
                                            "description": "the gateway's message store: down (and 503) when it "
                                            "does not answer within 3 s; messages are then refused with the 24/7 "
                                            "routes, and a crisis still gets the crisis reply",
                                        },
                                    },
                                }
                            }
                        },
                    }
                    for code, description in (("200", "Ready."), ("503", "Not ready yet."))
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {"200": {"description": "The OpenAPI document.", "content": {"application/json": {}}}},
            }
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Turn": _TURN,
            "Message": _MESSAGE,
            "Route": _ROUTE,
            "Safety": _SAFETY,
            "Error": _ERROR,
        },
    },
}
