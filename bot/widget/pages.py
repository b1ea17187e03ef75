"""The widget's pages: its script with the 24/7 routes written in, charities' settings and logos, the demo page."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp import web

from bot.app_keys import CONTACTS_KEY, TENANTS_KEY
from bot.contacts import Contacts
from bot.http import CONTENT_SECURITY_POLICY, error_response, own_origin
from bot.tenants import LOGO_SUFFIXES, TENANT_ID, Tenant

STATIC_DIR = Path(__file__).resolve().parent / "static"
# widget.js holds this marker; the gateway swaps it for the 24/7 routes from the contacts data as it serves it.
ROUTES_MARKER = "/*@crisis-routes@*/ null"
SCRIPT_MAX_AGE_SECONDS = 300
# Routes for everyone in the UK, and the urgent NHS line, which differs by nation (contacts.NATION_EQUIVALENTS).
UK_WIDE_ROUTES = ("emergency", "samaritans", "shout", "pandas-text")
NHS_URGENT_ROUTE = "nhs-111-mental-health"
NATIONS = (
    ("england", "England"),
    ("wales", "Wales"),
    ("scotland", "Scotland"),
    ("northern-ireland", "Northern Ireland"),
)
ALWAYS_OPEN = "24/7"
# A tenant's logo is a file the operator chose; an SVG opened on its own must still not run anything.
LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def crisis_routes(contacts: Contacts) -> dict[str, list[dict[str, str]]]:
    """The 24/7 routes bundled into widget.js: UK-wide ones, and each nation's urgent NHS line."""
    everyone = [c.taps() for c in contacts.for_nation(UK_WIDE_ROUTES) if c.hours == ALWAYS_OPEN]
    urgent = []
    for nation, label in NATIONS:
        for contact in contacts.for_nation((NHS_URGENT_ROUTE,), nation):
            if contact.hours == ALWAYS_OPEN:
                urgent.append({"nation": label, **contact.taps()})
    return {"routes": everyone, "urgent": urgent}


def render_script(contacts: Contacts) -> str:
    """widget.js with the crisis routes written into it, so its offline panel needs no server."""
    source = (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    if ROUTES_MARKER not in source:
        raise RuntimeError("widget.js has lost its crisis-routes marker")
    # ensure_ascii: nothing in the data can end the literal or the script early.
    return source.replace(ROUTES_MARKER, json.dumps(crisis_routes(contacts), ensure_ascii=True), 1)


def tenant_id_of(request: web.Request) -> str | None:
    """The tenant id a request names: its ?tenant= query, else the {tenant_id} in its path; None if neither."""
    return request.query.get("tenant") or request.match_info.get("tenant_id")


def tenant_of(request: web.Request) -> Tenant | None:
    """The tenant a request names, or None if it names none that this deployment has."""
    return request.app[TENANTS_KEY].get(tenant_id_of(request))


def unknown_tenant(tenant_id: str | None) -> str:
    """What the site's staff should change when the script tag names no tenant we have."""
    if not tenant_id:
        return 'The script tag has no data-tenant. Add one, like data-tenant="default".'
    if not TENANT_ID.match(tenant_id):
        return 'data-tenant must be a tenant id, like "default": lower-case letters, digits and "-".'
    return f"No tenant called '{tenant_id}'. Check data-tenant in the script tag."


def not_allowed(origin: str | None) -> str:
    """What the site's staff should do when the tenant does not list the page's origin."""
    if origin is None or origin == "null":
        return (
            "This page has no web address the chat can check (a saved file or a sandboxed frame, say). "
            "Put the script on a page of a site in the tenant's allowed_origins."
        )
    return f"This site ({origin[:200]}) is not in the tenant's allowed_origins. Ask Nightlight's operator to add it."


async def widget_config(request: web.Request) -> web.Response:
    """GET /widget/config?tenant=ID: the tenant's public settings, readable only from pages it allows."""
    tenant = tenant_of(request)
    origin = request.headers.get("Origin")
    if tenant is None:
        response = error_response(404, "unknown_tenant", unknown_tenant(tenant_id_of(request)))
    # A same-origin GET carries no Origin header; such a request comes from the gateway's own pages or no browser.
    elif origin is not None and not tenant.allows_origin(origin, own_origin(request)):
        response = error_response(403, "origin_not_allowed", not_allowed(origin))
    else:
        response = web.json_response(tenant.public())
        response.headers["Cache-Control"] = "no-cache"
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
        return response
    # Refusals are readable anywhere, holding nothing but the refusal, so the widget can tell "not here" from
    # "server down": where it may not run it shows the site's staff this reason; offline, it shows the crisis routes.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


async def widget_script(request: web.Request) -> web.Response:
    """GET /widget.js: the widget, with the 24/7 routes from the contacts data written in."""
    script = await asyncio.to_thread(render_script, request.app[CONTACTS_KEY])
    return web.Response(
        text=script,
        content_type="text/javascript",
        charset="utf-8",
        headers={
            "Cache-Control": f"public, max-age={SCRIPT_MAX_AGE_SECONDS}",
            # Charities load it from their own pages.
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


async def tenant_logo(request: web.Request) -> web.StreamResponse:
    """GET /tenants/{tenant_id}/logo: the tenant's logo file, if it has one."""
    tenant = tenant_of(request)
    if tenant is None or tenant.logo is None:
        return error_response(404, "no_logo", "That tenant has no logo.")
    return web.FileResponse(
        tenant.logo,
        headers={
            "Content-Type": LOGO_SUFFIXES[tenant.logo.suffix],
            "Cache-Control": "public, max-age=3600",
            "Cross-Origin-Resource-Policy": "cross-origin",
            "Content-Security-Policy": LOGO_CSP,
        },
    )


async def demo_page(request: web.Request) -> web.FileResponse:
    """GET /: a small charity's page with the widget on it."""
    return web.FileResponse(STATIC_DIR / "demo.html", headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


async def demo_css(request: web.Request) -> web.FileResponse:
    """GET /demo.css: the demo charity's own styles."""
    return web.FileResponse(STATIC_DIR / "demo.css", headers={"Cache-Control": "public, max-age=300"})
