// Nightlight's chat widget. A charity adds one line to its pages:
//   <script src="https://HOST/widget.js" data-tenant="ID" async></script>
// It adds a launcher button and a chat panel inside a Shadow DOM, talks only to the origin it was loaded from, and
// sets every piece of text with textContent: no markup from the server or from her is ever parsed.
// Plain JavaScript, no build step, no libraries.
(function () {
  "use strict";

  // Read at once: with `async`, document.currentScript is only set while this first runs.
  const script = document.currentScript;
  if (!script || !script.src) return;
  const ORIGIN = new URL(script.src, document.baseURI).origin;
  const TENANT = script.getAttribute("data-tenant") || "default";
  // The 24/7 crisis routes, written in by the gateway from its contacts data as it serves this file.
  const CRISIS = /*@crisis-routes@*/ null;

  const TAG = "nightlight-chat";
  const STORAGE_KEY = `nightlight:${TENANT}`;
  const CONNECT_GRACE_MS = 5000;
  const MAX_BACKOFF_MS = 30000;
  const MAX_FRAME_BYTES = 15000; // the gateway refuses frames over 16 KiB
  const MAX_LOG_ENTRIES = 200;
  const MAX_SEEN_IDS = 500;
  const TYPING_EVERY_MS = 3000; // how often "she is typing" goes to a supporter, at most
  const NEUTRAL_SITE = "https://www.bbc.co.uk/weather";
  const DEFAULT_COLOURS = { primary: "#3b2a6b", on_primary: "#ffffff", background: "#ffffff", text: "#1f1f29" };
  const COLOUR = /^#[0-9a-fA-F]{6}$/;
  const SAFE_LINK = {
    tel: /^tel:\+?[0-9]{3,15}$/,
    sms: /^sms:\+?[0-9]{3,15}(\?body=[A-Za-z0-9]{1,20})?$/,
    https: /^https:\/\/[^\s<>"']{1,300}$/,
  };
  const MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
  ];

  const TENANT_OK = /^[a-z0-9][a-z0-9-]{0,39}$/.test(TENANT);
  if (window.customElements && window.customElements.get(TAG)) return; // already on this page

  // ---- small helpers -------------------------------------------------------------------------------------------

  /** An element with attributes, text (always as text) and children. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "text") node.textContent = String(value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) if (child) node.appendChild(child);
    return node;
  }

  function safeLink(kind, url) {
    const pattern = SAFE_LINK[kind];
    if (!pattern || typeof url !== "string" || !pattern.test(url)) return false;
    try {
      return new URL(url).protocol === `${kind}:`;
    } catch (error) {
      return false;
    }
  }

  function link(kind, url, title) {
    if (!safeLink(kind, url)) return null;
    const a = el("a", { href: url, class: `action ${kind}`, text: title });
    if (kind === "https") {
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener noreferrer");
    }
    return a;
  }

  function checkedOn(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
    if (!match) return "We don't know when these details were last checked.";
    return `Details checked on ${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
  }

  function newClientId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // ---- what she keeps on this device -----------------------------------------------------------------------------
  // By default the conversation lives in sessionStorage (gone when the tab closes); she can choose localStorage.

  function storages() {
    const found = {};
    try { found.session = window.sessionStorage; } catch (error) { /* storage switched off */ }
    try { found.local = window.localStorage; } catch (error) { /* storage switched off */ }
    return found;
  }

  function emptyState(keep) {
    return {
      keep: Boolean(keep), token: null, log: [], pending: [], seen: [], forget: false, handoff: null, asked: false,
    };
  }

  /** The handoff as a reply frame gives it: {status, supporter_name} while there is one, otherwise null. */
  function readHandoff(value) {
    if (!value || typeof value !== "object" || typeof value.status !== "string") return null;
    const name = typeof value.supporter_name === "string" ? value.supporter_name.trim().slice(0, 40) : "";
    return { status: value.status, supporter_name: name };
  }

  function loadState() {
    const { session, local } = storages();
    for (const [store, keep] of [[local, true], [session, false]]) {
      try {
        const raw = store && store.getItem(STORAGE_KEY);
        if (!raw) continue;
        const data = JSON.parse(raw);
        if (!data || typeof data !== "object") continue;
        return {
          keep,
          token: typeof data.token === "string" ? data.token : null,
          log: Array.isArray(data.log) ? data.log.slice(-MAX_LOG_ENTRIES) : [],
          pending: Array.isArray(data.pending) ? data.pending : [],
          seen: Array.isArray(data.seen) ? data.seen.filter(Number.isInteger) : [],
          forget: data.forget === true,
          handoff: readHandoff(data.handoff),
          asked: data.asked === true,
        };
      } catch (error) {
        /* unreadable: start afresh */
      }
    }
    return emptyState(false);
  }

  function saveState(state) {
    const { session, local } = storages();
    const [target, other] = state.keep ? [local, session] : [session, local];
    const data = {
      token: state.token, log: state.log, pending: state.pending, seen: state.seen, forget: state.forget,
      handoff: state.handoff, asked: state.asked,
    };
    try { if (other) other.removeItem(STORAGE_KEY); } catch (error) { /* nothing to remove */ }
    try { if (target) target.setItem(STORAGE_KEY, JSON.stringify(data)); } catch (error) { /* full or off */ }
  }

  function clearStored() {
    const { session, local } = storages();
    for (const store of [session, local]) {
      try { if (store) store.removeItem(STORAGE_KEY); } catch (error) { /* nothing to remove */ }
    }
  }

  // ---- how it looks ----------------------------------------------------------------------------------------------

  const CSS = `
:host { all: initial !important; }
.root {
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: var(--nl-text); -webkit-text-size-adjust: 100%; text-size-adjust: 100%;
}
.root *, .root *::before, .root *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button, textarea, input { font: inherit; }
.launcher {
  position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; min-height: 48px; max-width: calc(100vw - 32px);
  padding: 8px 20px; border: 2px solid var(--nl-on-primary); border-radius: 24px; cursor: pointer; font-weight: 600;
  background: var(--nl-primary); color: var(--nl-on-primary); box-shadow: 0 2px 10px rgba(0, 0, 0, 0.3);
}
.panel {
  position: fixed; right: 16px; bottom: 80px; z-index: 2147483000; display: flex; flex-direction: column;
  width: min(420px, calc(100vw - 32px)); height: min(640px, calc(100vh - 96px));
  background: var(--nl-background); color: var(--nl-text); border: 1px solid rgba(0, 0, 0, 0.25);
  border-radius: 12px; box-shadow: 0 6px 30px rgba(0, 0, 0, 0.35); overflow: hidden;
}
@media (max-width: 480px), (max-height: 520px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; border: 0; }
  .open .launcher { display: none; }
}
/* The charity's name and who she is talking with, then the buttons (beside them when there is room). */
.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; padding: 8px 8px 8px 12px;
  background: var(--nl-primary); color: var(--nl-on-primary);
}
.title { flex: 1 1 18em; min-width: 0; display: flex; align-items: center; gap: 8px; }
.logo {
  flex: none; width: 32px; height: 32px; object-fit: contain; border-radius: 4px; background: var(--nl-on-primary);
}
h2 { margin: 0; font-size: 0.85em; font-weight: 400; line-height: 1.25; }
.who { margin: 0; font-size: 0.95em; font-weight: 700; line-height: 1.3; }
.tools { flex: 1 0 auto; display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 6px; }
.top button {
  min-height: 44px; min-width: 44px; padding: 4px 8px; border-radius: 8px; cursor: pointer; font-size: 0.95em;
  border: 2px solid var(--nl-on-primary); background: var(--nl-primary); color: var(--nl-on-primary);
}
.top .exit { background: var(--nl-on-primary); color: var(--nl-primary); font-weight: 700; }
:focus-visible { outline: 3px solid var(--nl-text); outline-offset: 2px; }
.top :focus-visible, .launcher:focus-visible, .her :focus-visible { outline-color: var(--nl-on-primary); }
.launcher:focus-visible { box-shadow: 0 0 0 6px var(--nl-primary); }
.options { padding: 10px 12px; border-bottom: 1px solid rgba(0, 0, 0, 0.2); }
.options p { margin: 0 0 8px; }
.options label { display: flex; gap: 8px; align-items: flex-start; margin-bottom: 4px; }
.options input { width: 22px; height: 22px; margin: 2px 0 0; flex: none; }
.hint { font-size: 0.9em; margin: 0 0 10px 30px; }
.plain {
  min-height: 44px; padding: 6px 14px; border-radius: 22px; cursor: pointer;
  border: 2px solid var(--nl-primary); background: var(--nl-background); color: var(--nl-primary);
}
.plain.strong { background: var(--nl-primary); color: var(--nl-on-primary); }
.plain:disabled { opacity: 0.55; cursor: default; }
.row { display: flex; flex-wrap: wrap; gap: 8px; }
.body { flex: 1 1 auto; overflow-y: auto; overscroll-behavior: contain; }
.offline { margin: 12px; padding: 12px; border: 3px solid var(--nl-text); border-radius: 10px; }
.offline h3 { margin: 0 0 6px; font-size: 1.05em; }
.offline p { margin: 0 0 8px; }
.offline ul { list-style: none; margin: 0 0 8px; padding: 0; }
.offline li { margin: 0 0 10px; }
.routes { list-style: none; margin: 6px 0; padding: 0; }
.routes li { margin: 0 0 6px; }
.routes .actions { margin-top: 2px; }
.routes li.compact { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; margin: 0 0 4px; }
.routes li.compact .name { flex: 1 1 7em; font-weight: 600; }
.routes li.compact .actions { margin-top: 0; }
.log { display: flex; flex-direction: column; gap: 10px; padding: 12px; overflow-wrap: anywhere; }
.msg { max-width: 88%; padding: 8px 12px; border-radius: 14px; }
.msg p { margin: 0; white-space: pre-wrap; }
.her { align-self: flex-end; background: var(--nl-primary); color: var(--nl-on-primary); border-bottom-right-radius: 4px; }
.bot {
  align-self: flex-start; background: var(--nl-background); color: var(--nl-text);
  border: 1px solid rgba(0, 0, 0, 0.3); border-bottom-left-radius: 4px;
}
.bot.crisis { border: 3px solid var(--nl-text); }
.bot.supporter { border-left: 6px solid var(--nl-primary); }
.note { align-self: center; font-size: 0.9em; text-align: center; margin: 0; }
.state { display: block; font-size: 0.85em; margin-top: 4px; }
a { color: var(--nl-primary); text-decoration: underline; }
.her a { color: var(--nl-on-primary); }
.readmore { margin-top: 6px; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
a.action {
  display: inline-flex; align-items: center; min-height: 44px; padding: 6px 12px; border-radius: 8px;
  border: 2px solid var(--nl-primary); color: var(--nl-primary); background: var(--nl-background); font-weight: 600;
}
.msg.service { max-width: 100%; }
.card { display: flex; flex-direction: column; gap: 4px; }
.card .name { font-weight: 700; line-height: 1.3; }
.card .when, .card .where { font-size: 0.9em; line-height: 1.35; }
.sample { font-weight: 700; border-left: 4px solid var(--nl-primary); padding-left: 8px; }
.checked { font-size: 0.9em; }
.card .checked { font-size: 0.8em; }
/* A found service on a phone: its links and her next steps share one grid, so the card stays short. */
.choices { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px; margin: 4px 0 2px; }
.choices > a.action, .choices > button.plain {
  display: flex; align-items: center; justify-content: center; min-height: 44px; margin: 0; padding: 4px 2px;
  border-radius: 8px; font-size: 0.85em; line-height: 1.2; text-align: center; overflow-wrap: normal;
}
.choices.two { grid-template-columns: repeat(2, minmax(0, 1fr)); }
@media (max-width: 480px) { .choices .full { display: none; } }
/* The last one takes what is left of its row, so a long title needs fewer lines. */
.choices:not(.two) > :last-child:nth-child(3n + 1) { grid-column: span 3; }
.choices:not(.two) > :last-child:nth-child(3n + 2) { grid-column: span 2; }
.choices.two > :last-child:nth-child(odd) { grid-column: span 2; }
.choices a.action { font-weight: 600; }
.notify { padding: 4px 12px 0; }
.status { min-height: 1.6em; margin: 0; padding: 2px 12px; font-size: 0.9em; }
form { display: flex; gap: 8px; padding: 8px 12px; border-top: 1px solid rgba(0, 0, 0, 0.2); }
textarea {
  flex: 1 1 auto; min-width: 0; min-height: 48px; max-height: 30vh; resize: none; padding: 10px; border-radius: 8px;
  border: 2px solid var(--nl-text); background: var(--nl-background); color: var(--nl-text);
}
.send {
  flex: none; min-height: 48px; min-width: 64px; padding: 0 14px; border-radius: 8px; cursor: pointer; font-weight: 600;
  border: 2px solid var(--nl-primary); background: var(--nl-primary); color: var(--nl-on-primary);
}
.footnote { margin: 0; padding: 0 12px 10px; font-size: 0.85em; }
.footnote.person { font-weight: 600; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
@media (forced-colors: active) {
  .launcher, .panel, .msg, a.action, .plain, .send, .top button { border: 2px solid CanvasText; }
  .plain:disabled { color: GrayText; border-color: GrayText; }
}
`;

  function applyStyles(shadow, css) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    } catch (error) {
      shadow.appendChild(el("style", { text: css })); // older browsers
    }
  }

  // ---- the component ---------------------------------------------------------------------------------------------

  class NightlightChat extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: "open" });
    }
  }

  function createWidget() {
    window.customElements.define(TAG, NightlightChat);
    const host = document.createElement(TAG);
    const shadow = host.shadowRoot;
    applyStyles(shadow, CSS);

    const state = loadState();
    let tenant = null;
    let botName = "Nightlight";
    let charityName = "";
    let ws = null;
    let welcomed = false;
    let stopped = false;
    let attempts = 0;
    let reconnectTimer = 0;
    let graceTimer = 0;
    let offlineShown = false;
    let greeted = false;

    // Parts of the panel, built once.
    const launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "panel" });
    launcher.textContent = "Chat and support";
    const logo = el("img", { class: "logo", alt: "", hidden: true, width: "32", height: "32" });
    // The charity's name, then who she is talking with: the assistant, or a peer supporter by name.
    const heading = el("h2", { id: "title", text: botName });
    const who = el("p", { id: "who", class: "who" });
    const exitButton = el("button", {
      type: "button", class: "exit", text: "Quick exit",
      title: "Leave this site now and clear this chat from the device",
    });
    const optionsButton = el("button", {
      type: "button", class: "more", "aria-expanded": "false", "aria-controls": "options", text: "Options",
    });
    const closeButton = el("button", { type: "button", class: "close", "aria-label": "Close the chat", text: "✕" });
    const keepBox = el("input", { type: "checkbox", id: "keep", "aria-describedby": "keep-hint" });
    keepBox.checked = state.keep;
    const deleteButton = el("button", { type: "button", class: "plain", text: "Delete my data" });
    const confirmYes = el("button", { type: "button", class: "plain strong", text: "Yes, delete it" });
    const confirmNo = el("button", { type: "button", class: "plain", text: "Cancel" });
    const confirmBox = el(
      "div", { class: "confirm", hidden: true, role: "group", "aria-labelledby": "confirm-text" },
      el("p", {
        id: "confirm-text",
        text: "This deletes this conversation from Nightlight and from this device. It can't be undone.",
      }),
      el("div", { class: "row" }, confirmYes, confirmNo),
    );
    const options = el(
      "div", { id: "options", class: "options", hidden: true },
      el("label", { for: "keep" }, keepBox, el("span", { text: "Keep this chat on this device" })),
      el("p", {
        id: "keep-hint", class: "hint",
        text: "Only if nobody else uses this phone or computer. Otherwise the chat is cleared when you close this tab.",
      }),
      el("div", { class: "row" }, deleteButton),
      confirmBox,
    );
    const offline = el("div", { class: "offline", role: "alert", hidden: true });
    const log = el("div", {
      class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Conversation",
    });
    const status = el("p", { class: "status", role: "status" });
    // While she waits for a peer supporter (or talks with one), once: a browser notification when they reply.
    const notifyButton = el("button", { type: "button", class: "plain", text: "Tell me when they reply" });
    const notify = el("div", { class: "notify", hidden: true }, notifyButton);
    const input = el("textarea", { id: "message", rows: "2", autocomplete: "off", placeholder: "Type your message" });
    const form = el(
      "form", { class: "composer", novalidate: true },
      el("label", { for: "message", class: "visually-hidden", text: "Your message" }),
      input,
      el("button", { type: "submit", class: "send", text: "Send" }),
    );
    const footnote = el("p", { class: "footnote" });
    // Not a <header>: inside the host's page that would be a second "banner" landmark.
    const panel = el(
      "section", { id: "panel", class: "panel", role: "dialog", "aria-labelledby": "title who", hidden: true },
      el(
        "div", { class: "top" },
        el("div", { class: "title" }, logo, el("div", {}, heading, who)),
        el("div", { class: "tools" }, exitButton, optionsButton, closeButton),
      ),
      options,
      el("div", { class: "body" }, offline, log),
      notify,
      status,
      form,
      footnote,
    );
    const root = el("div", { class: "root" }, launcher, panel);
    shadow.appendChild(root);
    applyColours(DEFAULT_COLOURS);
    showWho();

    // ---- tenant ------------------------------------------------------------------------------------------------

    function applyColours(colours) {
      for (const [key, fallback] of Object.entries(DEFAULT_COLOURS)) {
        const value = colours && COLOUR.test(String(colours[key])) ? colours[key] : fallback;
        root.style.setProperty(`--nl-${key.replace("_", "-")}`, value);
      }
    }

    function applyTenant(config) {
      tenant = config;
      botName = typeof config.bot_name === "string" && config.bot_name ? config.bot_name : "Nightlight";
      charityName = typeof config.name === "string" ? config.name.trim() : "";
      launcher.textContent = `Chat with ${botName}`;
      applyColours(config.colours);
      if (typeof config.logo === "string" && /^\/tenants\/[a-z0-9-]+\/logo$/.test(config.logo)) {
        logo.src = ORIGIN + config.logo;
        logo.hidden = false;
      }
      showWho();
    }

    function emergencyRoute() {
      const routes = CRISIS && Array.isArray(CRISIS.routes) ? CRISIS.routes : [];
      return routes.find((route) => route.id === "emergency");
    }

    // ---- who she is talking with ---------------------------------------------------------------------------------

    function withPerson() {
      return Boolean(state.handoff && state.handoff.status === "claimed");
    }

    function speaker() {
      return withPerson() ? state.handoff.supporter_name || "Your peer supporter" : botName;
    }

    function waitingForPerson() {
      return Boolean(state.handoff && (state.handoff.status === "queued" || state.handoff.status === "claimed"));
    }

    /** The header, the footnote and the notification offer, for whoever she is talking with now. */
    function showWho() {
      heading.textContent = charityName || botName;
      const emergency = emergencyRoute();
      const danger = emergency ? ` If you're in danger now: ${emergency.line}.` : "";
      if (withPerson()) {
        const name = state.handoff.supporter_name;
        const person = name ? `${name}, a peer supporter` : "a peer supporter";
        who.textContent = `You're talking with ${person}`;
        footnote.textContent = `You're talking with ${person}. They're not an emergency service.${danger}`;
        footnote.classList.add("person");
      } else {
        who.textContent = `You're talking with ${botName}, an automated guide`;
        footnote.textContent = `${botName} is an automated guide, not a person, and not an emergency service.${danger}`;
        footnote.classList.remove("person");
      }
      notify.hidden = !(
        waitingForPerson() && !state.asked && "Notification" in window && Notification.permission === "default"
      );
    }

    function setHandoff(value) {
      state.handoff = readHandoff(value);
      saveState(state);
      showWho();
    }

    // ---- the offline panel: 24/7 routes that need no server -----------------------------------------------------

    function routeItem(route, prefix, compact) {
      const actions = el(
        "div", { class: "actions" },
        route.tel ? link("tel", route.tel, route.call || route.tel.slice(4)) : null,
        route.sms ? link("sms", route.sms, route.text || route.sms.slice(4)) : null,
      );
      // In a crisis reply on a small screen every second counts: the name and the buttons, on one row.
      if (compact && actions.childNodes.length && route.name) {
        // The whole line ("or go to A&E", the hours) is still there for screen readers.
        return el(
          "li", { class: "compact" },
          el("span", { class: "name", text: route.name, "aria-hidden": "true" }),
          el("span", { class: "visually-hidden", text: route.line }),
          actions,
        );
      }
      return el("li", {}, el("span", { text: prefix ? `${prefix}: ${route.line}` : route.line }), actions);
    }

    function showOffline(reason) {
      if (offlineShown) return;
      offlineShown = true;
      const routes = CRISIS && Array.isArray(CRISIS.routes) ? CRISIS.routes : [];
      const urgent = CRISIS && Array.isArray(CRISIS.urgent) ? CRISIS.urgent : [];
      const parts = [
        el("h3", { text: "We can't connect right now" }),
        el("p", {
          text: `${reason} If you need to talk to someone now, these are free and open day and night:`,
        }),
        el("ul", {}, ...routes.map((route) => routeItem(route))),
      ];
      if (urgent.length) {
        parts.push(
          el("p", { text: "For urgent mental health help from the NHS:" }),
          el("ul", {}, ...urgent.map((route) => routeItem(route, route.nation))),
        );
      }
      const checked = routes.map((route) => route.checked).filter(Boolean).sort();
      if (checked.length) parts.push(el("p", { class: "checked", text: checkedOn(checked[0]) }));
      parts.push(el("p", { text: "We'll keep trying to connect." }));
      offline.hidden = false;
      for (const part of parts) offline.appendChild(part); // added while it shows, so it is announced
      panel.querySelector(".body").scrollTop = 0; // the most urgent routes come first
    }

    function hideOffline() {
      offlineShown = false;
      offline.hidden = true;
      offline.replaceChildren();
    }

    // ---- the conversation --------------------------------------------------------------------------------------

    function scrollDown() {
      const body = panel.querySelector(".body");
      body.scrollTop = offlineShown ? 0 : body.scrollHeight;
    }

    function herBubble(entry) {
      const bubble = el("div", { class: "msg her", "data-client-id": entry.id }, el("p", { text: entry.text }));
      const note = el("span", { class: "state" });
      bubble.appendChild(note);
      markBubble(bubble, entry);
      return bubble;
    }

    function markBubble(bubble, entry) {
      const note = bubble.querySelector(".state");
      if (entry.error) note.textContent = `Not sent: ${entry.error}`;
      else if (state.pending.some((item) => item.client_id === entry.id)) note.textContent = "Sending…";
      else note.textContent = "";
      note.hidden = !note.textContent;
    }

    const SHORT_LINK = { tel: "Call", sms: "Text", https: "Website" };

    /** A card's links; in the grid, "Call 01632 960100" shows as "Call" on a phone (the dialler shows the number). */
    function cardLinks(card, compact) {
      const found = [];
      for (const item of Array.isArray(card.links) ? card.links : []) {
        if (!item || typeof item !== "object") continue;
        const kind = String(item.kind);
        const title = String(item.title || item.url);
        const a = link(kind, item.url, title);
        if (!a) continue;
        const short = SHORT_LINK[kind];
        if (compact && short && title.toLowerCase() !== short.toLowerCase()) {
          const rest = title.toLowerCase().startsWith(`${short.toLowerCase()} `) ? title.slice(short.length) : "";
          a.setAttribute("aria-label", title);
          const full = kind === "https" || !rest ? null : el("span", { class: "full", text: rest });
          a.replaceChildren(el("span", { text: short }));
          if (full) a.appendChild(full);
        }
        found.push(a);
      }
      return found;
    }

    // A found service, short enough for three on a phone screen: its name, one line for when it's open, one for
    // where (a street and town, never a house), its links and her next steps in one grid, and when it was checked.
    function renderCard(card, text, choices) {
      const name = typeof card.name === "string" ? card.name : "";
      const box = el("div", { class: "card" }, el("p", { class: "name", text: name }));
      const sample = card.sample === true && !/\(sample\)/i.test(name);
      if (typeof card.when === "string" || typeof card.where === "string") {
        if (card.when) box.appendChild(el("p", { class: "when", text: card.when }));
        if (card.where) box.appendChild(el("p", { class: "where", text: card.where }));
        if (sample) box.appendChild(el("p", { class: "sample", text: "An example service, not a real one." }));
        const items = [...cardLinks(card, true), ...choices];
        const grid = el("div", { class: items.length > 4 ? "choices" : "choices two" }, ...items);
        if (grid.childNodes.length) box.appendChild(grid);
        box.appendChild(el("p", { class: "checked", text: checkedOn(card.checked) }));
        return box;
      }
      // An older card, or a service's details: its lines as they were written.
      const skip = (line) => !line || line === name || /^Details checked on |^We don't know when these details/.test(line);
      for (const line of String(text || "").split("\n")) if (!skip(line)) box.appendChild(el("p", { text: line }));
      if (card.sample === true) {
        box.appendChild(el("p", { class: "sample", text: "(sample) An example service, not a real one." }));
      }
      const actions = el("div", { class: "actions" }, ...cardLinks(card, false));
      if (actions.childNodes.length) box.appendChild(actions);
      box.appendChild(el("p", { class: "checked", text: checkedOn(card.checked) }));
      if (choices.length) box.appendChild(el("div", { class: "buttons" }, ...choices));
      return box;
    }

    // A reply lists its routes as "• " lines, in the order of its "routes": each becomes a line with buttons to
    // call or text in one tap. If the two do not match, the text is shown as it is.
    function withRoutes(text, routes, compact) {
      const lines = text.split("\n");
      const listed = Array.isArray(routes) ? routes.filter((route) => route && typeof route === "object") : [];
      if (!listed.length || lines.filter((line) => line.startsWith("• ")).length !== listed.length) {
        return [el("p", { text })];
      }
      const parts = [];
      let words = [];
      let list = null;
      let next = 0;
      for (const line of lines) {
        if (line.startsWith("• ")) {
          if (words.length) parts.push(el("p", { text: words.join("\n").trim() }));
          words = [];
          if (!list) parts.push((list = el("ul", { class: "routes" })));
          list.appendChild(routeItem(listed[next], "", compact));
          next += 1;
        } else {
          if (line.trim()) list = null;
          words.push(line);
        }
      }
      if (words.join("").trim()) parts.push(el("p", { text: words.join("\n").trim() }));
      return parts;
    }

    function choiceButtons(message) {
      const made = [];
      for (const choice of Array.isArray(message.buttons) ? message.buttons : []) {
        if (!choice || typeof choice.title !== "string" || typeof choice.payload !== "string") continue;
        const button = el("button", { type: "button", class: "plain choice", text: choice.title });
        button.addEventListener("click", (event) => {
          if (button.disabled) return;
          sendButton(choice.title, choice.payload);
          if (event.detail === 0) input.focus(); // pressed from the keyboard: its button is now switched off
        });
        made.push(button);
      }
      return made;
    }

    function botBubble(message) {
      const crisis = message.kind === "crisis";
      const kindClass = crisis ? " crisis" : message.kind === "supporter" ? " supporter" : "";
      const bubble = el("div", { class: `msg bot${kindClass}`, role: crisis ? "alert" : false });
      const choices = choiceButtons(message);
      const card = message.card && typeof message.card === "object" ? message.card : null;
      if (card) {
        bubble.classList.add("service");
        bubble.appendChild(renderCard(card, message.text, choices)); // the card places her choices itself
      } else {
        for (const part of withRoutes(String(message.text || ""), message.routes, crisis)) bubble.appendChild(part);
      }
      if (message.link && typeof message.link === "object") {
        const a = link("https", message.link.url, `Read more: ${message.link.title || message.link.url}`);
        if (a) bubble.appendChild(el("p", { class: "readmore" }, a));
      }
      if (!card && choices.length) bubble.appendChild(el("div", { class: "buttons" }, ...choices));
      return bubble;
    }

    /** Buttons above her latest message are answered or out of date: they are switched off. */
    function retireOldButtons() {
      const hers = log.querySelectorAll(".msg.her");
      const latest = hers[hers.length - 1];
      if (!latest) return;
      for (const button of log.querySelectorAll("button.choice")) {
        if (latest.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_PRECEDING) button.disabled = true;
      }
    }

    function notifySupporterReply(messages) {
      if (!document.hidden || !("Notification" in window) || Notification.permission !== "granted") return;
      if (!messages.some((m) => m && m.kind === "supporter")) return;
      try {
        new Notification(botName, { body: "Your peer supporter has replied." });
      } catch (error) {
        // Some browsers only allow notifications from a service worker; the message is in the chat either way.
      }
    }

    function renderEntry(entry) {
      const added = [];
      if (entry.from === "her") added.push(herBubble(entry));
      else if (entry.from === "bot") {
        for (const message of Array.isArray(entry.messages) ? entry.messages : []) {
          if (message && typeof message === "object") added.push(botBubble(message));
        }
      } else if (entry.from === "note") added.push(el("p", { class: "note", text: entry.text }));
      for (const part of added) log.appendChild(part);
      return added;
    }

    // A reply taller than the chat opens at its first line (a crisis reply always does), not scrolled to its end.
    function showFrom(first, crisis) {
      const body = panel.querySelector(".body");
      if (!first || offlineShown) return scrollDown();
      const offset = first.getBoundingClientRect().top - body.getBoundingClientRect().top;
      const tall = body.scrollHeight - (body.scrollTop + offset) > body.clientHeight;
      if (crisis || tall) body.scrollTop += offset - 8;
      else scrollDown();
      return undefined;
    }

    function remember(entry) {
      state.log.push(entry);
      if (state.log.length > MAX_LOG_ENTRIES) state.log.splice(0, state.log.length - MAX_LOG_ENTRIES);
      saveState(state);
      const added = renderEntry(entry);
      if (entry.from === "her") retireOldButtons();
      if (entry.from !== "bot") return scrollDown();
      const crisis = (entry.messages || []).some((m) => m && m.kind === "crisis");
      return showFrom(added[0], crisis);
    }

    // "connection" statuses (connecting, writing) clear themselves; what she needs to read stays until replaced.
    let statusKind = "";

    function setStatus(text, kind) {
      status.textContent = text;
      statusKind = text ? kind || "info" : "";
    }

    function clearConnectionStatus() {
      if (statusKind === "connection") setStatus("");
    }

    // ---- sending -----------------------------------------------------------------------------------------------

    function send(frame) {
      if (ws && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify(frame));
        return true;
      }
      return false;
    }

    function queue(item, entry) {
      state.pending.push(item); // before her bubble is drawn, so it shows "Sending…" until the gateway has it
      if (entry) remember(entry);
      else saveState(state);
      if (welcomed) send(frameFor(item));
      else connect();
    }

    function frameFor(item) {
      return item.type === "button"
        ? { type: "button", client_id: item.client_id, payload: item.payload }
        : { type: "message", client_id: item.client_id, text: item.text };
    }

    function sendText(text) {
      const clientId = newClientId();
      if (new Blob([JSON.stringify({ type: "message", client_id: clientId, text })]).size > MAX_FRAME_BYTES) {
        setStatus("That message is too long to send in one go. Please send it in shorter parts.");
        return false;
      }
      queue({ client_id: clientId, type: "message", text }, { from: "her", id: clientId, text });
      return true;
    }

    function sendButton(title, payload) {
      const clientId = newClientId();
      queue({ client_id: clientId, type: "button", payload }, { from: "her", id: clientId, text: title });
    }

    function greetOnce() {
      // Her first visit opens with the assistant's greeting and its starting points; nothing is shown for her.
      const started = state.log.some((entry) => entry.from !== "note") || state.pending.length;
      if (greeted || !welcomed || panel.hidden || started) return;
      greeted = true;
      queue({ client_id: newClientId(), type: "button", payload: "/greet", silent: true });
    }

    function settle(clientId, error) {
      state.pending = state.pending.filter((item) => item.client_id !== clientId);
      const entry = state.log.find((item) => item.from === "her" && item.id === clientId);
      if (entry && error) entry.error = error;
      saveState(state);
      const bubble = entry && Array.from(log.querySelectorAll(".her")).find((b) => b.getAttribute("data-client-id") === clientId);
      if (bubble) markBubble(bubble, entry);
    }

    // ---- frames from the gateway -------------------------------------------------------------------------------

    function onFrame(data) {
      let frame;
      try {
        frame = JSON.parse(data);
      } catch (error) {
        return;
      }
      if (!frame || typeof frame !== "object") return;
      switch (frame.type) {
        case "welcome":
          return onWelcome(frame);
        case "token":
          if (typeof frame.token === "string") {
            state.token = frame.token;
            saveState(state);
          }
          return undefined;
        case "ack":
          return settle(frame.client_id, null);
        case "typing":
          return setStatus(`${speaker()} is writing…`, "connection");
        case "reply":
          return onReply(frame);
        case "forgotten":
          return onForgotten();
        case "error":
          return onError(frame);
        default:
          return undefined;
      }
    }

    function onWelcome(frame) {
      welcomed = true;
      attempts = 0;
      window.clearTimeout(graceTimer);
      hideOffline();
      clearConnectionStatus();
      if (frame.tenant && typeof frame.tenant === "object") applyTenant(frame.tenant);
      if (state.forget) {
        state.token = typeof frame.token === "string" ? frame.token : null;
        send({ type: "forget" });
        return;
      }
      if (!frame.resumed && state.log.some((entry) => entry.from !== "note") && state.token) {
        remember({ from: "note", text: `This is a new conversation. ${botName} won't remember the messages above.` });
      }
      if (!frame.resumed && state.handoff) setHandoff(null); // a new session has nobody waiting for her
      state.token = typeof frame.token === "string" ? frame.token : null;
      saveState(state);
      for (const item of state.pending) send(frameFor(item)); // sent again: the gateway stores each one once
      greetOnce();
    }

    function onReply(frame) {
      if (!Number.isInteger(frame.id)) return;
      if (state.forget) return;
      if (!state.seen.includes(frame.id)) {
        state.seen.push(frame.id);
        if (state.seen.length > MAX_SEEN_IDS) state.seen.splice(0, state.seen.length - MAX_SEEN_IDS);
        clearConnectionStatus();
        const messages = Array.isArray(frame.messages) ? frame.messages : [];
        if ("handoff" in frame) setHandoff(frame.handoff); // before her messages, so the header is right as they show
        remember({ from: "bot", id: frame.id, messages });
        notifySupporterReply(messages);
      }
      send({ type: "delivered", id: frame.id });
    }

    function onForgotten() {
      const keepChoice = false;
      clearStored();
      Object.assign(state, emptyState(keepChoice));
      keepBox.checked = keepChoice;
      log.replaceChildren();
      showWho();
      setStatus("");
      remember({ from: "note", text: "Your conversation has been deleted from Nightlight and from this device." });
      // The greeting comes back below that line once the new session is welcomed: she can start again.
      greeted = false;
      welcomed = false;
      send({ type: "hello", token: null });
    }

    function onError(frame) {
      const message = typeof frame.message === "string" ? frame.message : "Something went wrong.";
      const replies = Array.isArray(frame.messages) ? frame.messages : [];
      if (typeof frame.client_id === "string") {
        settle(frame.client_id, message);
        // Her refused message was still read: a crisis gets its reply, anything else the 24/7 routes.
        if (replies.length) remember({ from: "bot", messages: replies });
        return;
      }
      if (replies.some((m) => m && m.kind === "crisis")) remember({ from: "bot", messages: replies });
      if (frame.code === "internal_error" || frame.code === "too_many_connections") {
        showOffline(message);
        return;
      }
      setStatus(message);
    }

    // ---- the connection ----------------------------------------------------------------------------------------

    function socketUrl() {
      const url = new URL("/widget/ws", ORIGIN);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("tenant", TENANT);
      return url.toString();
    }

    function startGrace() {
      window.clearTimeout(graceTimer);
      graceTimer = window.setTimeout(() => {
        if (!welcomed) showOffline(`We can't reach ${botName} just now.`);
      }, CONNECT_GRACE_MS);
    }

    function connect() {
      if (ws || stopped || !tenant) return;
      window.clearTimeout(reconnectTimer);
      startGrace();
      let socket;
      try {
        socket = new WebSocket(socketUrl());
      } catch (error) {
        scheduleReconnect();
        return;
      }
      ws = socket;
      socket.addEventListener("open", () => socket.send(JSON.stringify({ type: "hello", token: state.token })));
      socket.addEventListener("message", (event) => onFrame(event.data));
      socket.addEventListener("close", (event) => {
        if (ws !== socket) return;
        ws = null;
        welcomed = false;
        if (event.code === 1009) setStatus("That message was too long to send. Please send it in shorter parts.");
        if (stopped) return;
        if (!offlineShown) {
          setStatus(`Reconnecting to ${botName}…`, "connection");
          startGrace();
        }
        scheduleReconnect();
      });
    }

    function scheduleReconnect() {
      window.clearTimeout(reconnectTimer);
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts) * (0.75 + Math.random() / 4);
      attempts += 1;
      reconnectTimer = window.setTimeout(connect, delay);
    }

    function reconnectNow() {
      if (ws || stopped || !tenant) return;
      attempts = 0;
      connect();
    }

    // ---- opening, closing, leaving -----------------------------------------------------------------------------

    // On a small screen the panel covers the page: it is modal there, and Tab goes round inside it.
    const FILLS_SCREEN = window.matchMedia("(max-width: 480px), (max-height: 520px)");

    function markModal() {
      if (FILLS_SCREEN.matches) panel.setAttribute("aria-modal", "true");
      else panel.removeAttribute("aria-modal");
    }

    function focusables() {
      return Array.from(panel.querySelectorAll("button, a[href], textarea, input, select, [tabindex]")).filter(
        (node) => !node.disabled && node.tabIndex >= 0 && node.getClientRects().length > 0,
      );
    }

    function keepFocusInside(event) {
      if (event.key !== "Tab" || !FILLS_SCREEN.matches) return;
      const items = focusables();
      if (!items.length) return;
      const first = items[0]; // Quick exit
      const last = items[items.length - 1];
      const active = shadow.activeElement;
      const outside = !active || !panel.contains(active);
      if (event.shiftKey && (active === first || outside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || outside)) {
        event.preventDefault();
        first.focus();
      }
    }

    function open() {
      markModal();
      panel.hidden = false;
      root.classList.add("open");
      launcher.setAttribute("aria-expanded", "true");
      if (!tenant && !offlineShown) showOffline(`We can't reach ${botName} just now.`);
      connect();
      greetOnce();
      scrollDown();
      input.focus();
    }

    function close() {
      panel.hidden = true;
      root.classList.remove("open");
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }

    function quickExit() {
      stopped = true;
      clearStored();
      log.replaceChildren();
      try {
        if (ws) ws.close();
      } catch (error) {
        /* leaving anyway */
      }
      window.location.replace(NEUTRAL_SITE);
    }

    function toggleOptions(show) {
      options.hidden = !show;
      optionsButton.setAttribute("aria-expanded", String(show));
      if (!show) confirmBox.hidden = true;
    }

    function deleteMyData() {
      state.forget = true;
      state.log = [];
      state.pending = [];
      state.seen = [];
      state.handoff = null;
      saveState(state);
      log.replaceChildren();
      showWho();
      confirmBox.hidden = true;
      toggleOptions(false);
      input.focus();
      if (welcomed) {
        setStatus("Deleting your conversation…");
        send({ type: "forget" });
      } else {
        setStatus(`Cleared from this device. It will be deleted from ${botName} as soon as we can connect.`);
        connect();
      }
    }

    launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
    closeButton.addEventListener("click", close);
    exitButton.addEventListener("click", quickExit);
    optionsButton.addEventListener("click", () => toggleOptions(options.hidden));
    keepBox.addEventListener("change", () => {
      state.keep = keepBox.checked;
      saveState(state);
    });
    deleteButton.addEventListener("click", () => {
      confirmBox.hidden = false;
      confirmNo.focus();
    });
    confirmNo.addEventListener("click", () => {
      confirmBox.hidden = true;
      deleteButton.focus();
    });
    confirmYes.addEventListener("click", deleteMyData);
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
      keepFocusInside(event);
    });
    if (FILLS_SCREEN.addEventListener) FILLS_SCREEN.addEventListener("change", markModal);
    notifyButton.addEventListener("click", () => {
      state.asked = true; // asked once: whatever she chooses, it is not offered again
      saveState(state);
      showWho(); // the button goes at once, even while the browser's question is still open
      const asking = Notification.requestPermission();
      const done = () => {
        showWho();
        input.focus();
      };
      if (asking && typeof asking.then === "function") asking.then(done, done);
      else done();
    });
    let typedAt = 0;
    input.addEventListener("input", () => {
      // A supporter talking with her sees that she is typing (never what); the bot needs no such thing.
      const now = Date.now();
      if (withPerson() && input.value.trim() && now - typedAt > TYPING_EVERY_MS) {
        typedAt = now;
        send({ type: "typing" });
      }
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      if (sendText(text)) input.value = "";
    });
    window.addEventListener("online", reconnectNow);

    for (const entry of state.log) renderEntry(entry);
    retireOldButtons();
    document.body.appendChild(host);

    return {
      online(config) {
        applyTenant(config);
        hideOffline();
        // A conversation already under way (she moved to another page) picks up at once.
        if (state.log.length || state.pending.length || state.forget) connect();
      },
      offline() {
        showOffline("We can't reach Nightlight just now.");
      },
    };
  }

  // ---- when the chat may not start here: a notice for the site's staff ----------------------------------------------

  const NOTICE_CSS = `
:host { all: initial !important; }
.notice {
  position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; box-sizing: border-box;
  width: min(360px, calc(100vw - 32px)); padding: 10px 12px; border: 2px solid #1f1f29; border-radius: 8px;
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  background: #ffffff; color: #1f1f29; box-shadow: 0 2px 10px rgba(0, 0, 0, 0.3); overflow-wrap: anywhere;
}
p { margin: 0 0 6px; }
.lead { font-weight: 700; }
.help { font-size: 13px; }
button {
  min-height: 44px; padding: 4px 14px; border: 2px solid #1f1f29; border-radius: 8px; cursor: pointer;
  font: inherit; background: #ffffff; color: #1f1f29;
}
button:focus-visible { outline: 3px solid #1f1f29; outline-offset: 2px; }
`;

  /** What the site's staff need to change, from the gateway's refusal (its code picks our words if it has none). */
  function refusalReason(refusal) {
    if (refusal && typeof refusal.message === "string" && refusal.message.trim()) return refusal.message.slice(0, 300);
    if (refusal && refusal.code === "unknown_tenant") {
      return `No tenant called '${TENANT}'. Check data-tenant in the script tag.`;
    }
    const site = window.location.origin;
    return `This site (${site}) is not in the tenant's allowed_origins. Ask Nightlight's operator to add it.`;
  }

  /** A small notice in the corner, instead of the chat: what is wrong and what to change. */
  function showNotice(reason) {
    console.warn(`Nightlight: the chat is not shown. ${reason}`);
    const host = document.createElement("nightlight-notice");
    const shadow = host.attachShadow({ mode: "open" });
    applyStyles(shadow, NOTICE_CSS);
    const hide = el("button", { type: "button", text: "Hide this notice" });
    const box = el(
      "div", { class: "notice", role: "note", "aria-label": "Nightlight chat" },
      el("p", { class: "lead", text: "The Nightlight chat can't start on this page." }),
      el("p", { class: "reason", text: reason }),
    );
    const samaritans = CRISIS && Array.isArray(CRISIS.routes) ? CRISIS.routes.find((r) => r.id === "samaritans") : null;
    if (samaritans) {
      box.appendChild(el("p", { class: "help", text: `Need to talk to someone now? ${samaritans.line}` }));
    }
    box.appendChild(hide);
    hide.addEventListener("click", () => host.remove());
    shadow.appendChild(box);
    document.body.appendChild(host);
  }

  // ---- start -------------------------------------------------------------------------------------------------------

  async function fetchConfig() {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), CONNECT_GRACE_MS);
    try {
      const response = await fetch(`${ORIGIN}/widget/config?tenant=${encodeURIComponent(TENANT)}`, {
        credentials: "omit",
        signal: controller.signal,
      });
      if (response.status === 403 || response.status === 404) {
        let body = null;
        try {
          body = await response.json();
        } catch (error) {
          /* a refusal without a readable body */
        }
        const refusal = body && typeof body.error === "object" && body.error ? body.error : {};
        return { refused: refusal };
      }
      if (!response.ok) return null;
      const config = await response.json();
      return config && typeof config === "object" ? config : null;
    } catch (error) {
      return null; // unreachable, or too slow
    } finally {
      window.clearTimeout(timer);
    }
  }

  async function start() {
    if (!TENANT_OK) {
      showNotice(
        'data-tenant must be a tenant id, like "default": lower-case letters, digits and "-". '
        + "Check data-tenant in the script tag.",
      );
      return;
    }
    const config = await fetchConfig();
    if (config && config.refused) {
      showNotice(refusalReason(config.refused));
      return;
    }
    const widget = createWidget();
    if (config) {
      widget.online(config);
      return;
    }
    widget.offline();
    // Keep trying in the background; the launcher and the 24/7 routes are there meanwhile.
    for (let attempt = 0; ; attempt += 1) {
      await new Promise((resolve) => window.setTimeout(resolve, Math.min(MAX_BACKOFF_MS, 2000 * 2 ** attempt)));
      const later = await fetchConfig();
      if (later && later.refused) return;
      if (later) {
        widget.online(later);
        return;
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
