// Nightlight's peer supporter console. Plain JavaScript, no build step, no libraries.
// Every piece of text is set with textContent: nothing from the server, or from her, is ever parsed as markup.
// The protocol is described at the top of bot/console.py.
(function () {
  "use strict";

  const MAX_BACKOFF_MS = 30000;
  const TYPING_EVERY_MS = 3000;
  const TICK_MS = 15000;
  const NOTE_MS = 60000;
  const TYPING_SHOWN_MS = 5000;
  const CHANNELS = { widget: "Website chat", telegram: "Telegram", api: "Partner app" };
  const LEVELS = {
    crisis: "Crisis: she may be in danger",
    distress: "Struggling",
    none: "No signs of distress",
  };

  const state = {
    me: null,
    csrf: "",
    ws: null,
    backoff: 1000,
    signedOut: false,
    wantShift: sessionStorage.getItem("nightlight-console:shift") === "on",
    queue: [],
    chats: new Map(), // handoff id -> {chat, pane, tab, closed, unread}
    active: null,
    canned: [],
    team: [],
    pending: new Map(), // client id -> {handoffId, kind, text, afterId, node}
    clockOffset: 0,
    audio: null,
    lastTyping: 0,
    outcomes: {},
    open: true,
    onShift: false,
  };

  const $ = (id) => document.getElementById(id);

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

  function clientId() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }

  function serverNow() {
    return Date.now() / 1000 + state.clockOffset;
  }

  function duration(seconds) {
    const s = Math.max(0, Math.round(Number(seconds) || 0));
    if (s < 60) return "less than a minute";
    const minutes = Math.floor(s / 60);
    if (minutes < 60) return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    return `${hours} h ${minutes % 60} min`;
  }

  function clock(at) {
    if (!at) return "";
    return new Date(at * 1000).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function day(at) {
    return new Date(at * 1000).toLocaleString("en-GB", {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    });
  }

  function words(code) {
    return String(code || "").replace(/[-_]/g, " ");
  }

  function reason(card) {
    const text = words(card.reason) || "asked for a person";
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function showShift(on) {
    // Agrees with the tenant's hours: outside them, mothers are offered a message for later, never a chat now.
    state.onShift = on;
    $("on-shift").checked = on;
    let words = "Off shift";
    if (on) words = state.open ? "You're on shift: mothers can be offered a chat" : "You're on shift, but it's outside peer-support hours: mothers can leave a message, not start a chat";
    $("shift-state").textContent = words;
  }

  function setStatus(text) {
    $("status").textContent = text;
  }

  function showProblem(text) {
    const problem = $("problem");
    problem.textContent = text || "";
    problem.hidden = !text;
  }

  function send(frame) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) {
      state.ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  // ---- alerts: a short sound and a browser notification when someone new is waiting ---------------------------

  function chime(urgent) {
    if (!state.audio) return;
    const start = state.audio.currentTime;
    const notes = urgent ? [880, 660, 880] : [660, 880];
    notes.forEach((frequency, index) => {
      const tone = state.audio.createOscillator();
      const gain = state.audio.createGain();
      const at = start + index * 0.22;
      tone.type = "sine";
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
      tone.connect(gain).connect(state.audio.destination);
      tone.start(at);
      tone.stop(at + 0.21);
    });
  }

  function notify(urgent, handoffId) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    // Never her words: the notification can be read by anyone near the screen.
    const note = new Notification("Someone is waiting for a peer supporter", {
      body: urgent ? "Urgent: she may be in crisis." : "A new request is in the queue.",
      tag: `nightlight-${handoffId}`,
    });
    note.onclick = () => window.focus();
  }

  function turnOnAlerts() {
    const button = $("alerts");
    const Audio = window.AudioContext || window.webkitAudioContext;
    if (Audio && !state.audio) state.audio = new Audio();
    if (state.audio) state.audio.resume();
    const done = () => {
      const allowed = !("Notification" in window) || Notification.permission === "granted";
      button.setAttribute("aria-pressed", "true");
      button.textContent = allowed ? "Alerts on" : "Sound on (notifications blocked)";
      chime(false);
    };
    if ("Notification" in window && Notification.permission === "default") {
      Notification.requestPermission().then(done, done);
    } else {
      done();
    }
  }

  // ---- the queue -------------------------------------------------------------------------------------------------

  function summaryList(card) {
    const summary = card.summary || {};
    const list = el("dl", { class: "summary" });
    const add = (term, value) => {
      list.appendChild(el("dt", { text: term }));
      list.appendChild(el("dd", { text: value }));
    };
    const categories = (summary.categories || []).map(words).join(", ");
    add("How she's feeling", `${LEVELS[summary.level] || LEVELS.none}${categories ? ` (${categories})` : ""}`);
    add("Where", summary.area || "She hasn't said");
    add("When suits her", summary.preferred_times || "She hasn't said");
    add("The bot suggested", (summary.suggested || []).join(", ") || "Nothing yet");
    add("Channel", CHANNELS[card.channel] || words(card.channel));
    add("Earlier chat", card.share_transcript ? "She agreed to share it" : "Summary only");
    return list;
  }

  function preview(card) {
    if (!card.share_transcript) return "Summary only: she didn't share the chat.";
    return card.preview ? `Her last message: “${card.preview}”` : "She hasn't written anything yet.";
  }

  function waitingSeconds(card) {
    if (!card.queued_at) return card.waiting_seconds || 0;
    return serverNow() - card.queued_at;
  }

  function renderQueue() {
    const list = $("queue");
    list.replaceChildren();
    for (const card of state.queue) {
      const title = `${card.urgent ? "Urgent · " : ""}${reason(card)}`;
      const item = el(
        "li",
        { class: `card${card.urgent ? " urgent" : ""}`, "data-handoff": card.id },
        el("h3", { text: title }),
        el("p", { class: "wait", "data-queued": card.queued_at || "", text: `Waiting ${duration(waitingSeconds(card))}` }),
        el("p", { class: "preview", text: preview(card) }),
        summaryList(card),
      );
      const claim = el("button", { type: "button", class: "claim", text: "Claim" });
      claim.addEventListener("click", () => {
        showProblem("");
        if (!send({ type: "claim", handoff_id: card.id })) showProblem("Not connected. Trying again…");
      });
      item.appendChild(claim);
      item.appendChild(el("p", { class: "card-problem", role: "status" }));
      list.appendChild(item);
    }
    $("queue-empty").hidden = state.queue.length > 0;
    $("queue-count").textContent = state.queue.length ? `(${state.queue.length})` : "";
    document.title = `${state.queue.length ? `(${state.queue.length}) ` : ""}Peer support console · Nightlight`;
  }

  function tick() {
    for (const wait of document.querySelectorAll(".wait[data-queued]")) {
      const queued = Number(wait.getAttribute("data-queued"));
      if (queued) wait.textContent = `Waiting ${duration(serverNow() - queued)}`;
    }
    for (const entry of state.chats.values()) if (!entry.closed) showPresence(entry);
  }

  // ---- chats -----------------------------------------------------------------------------------------------------

  function authorLabel(message) {
    if (message.author === "her") return "Her";
    if (message.author === "note") return `Private note · ${message.supporter_name || "supporter"}`;
    if (state.me && message.supporter === state.me.id) return "You";
    return message.supporter_name || "Supporter";
  }

  function messageNode(message) {
    const urgent = message.author === "her" && message.urgent;
    const item = el(
      "li",
      { class: `msg ${message.author}${urgent ? " urgent" : ""}`, "data-id": message.id, role: urgent ? "alert" : null },
      el("p", { class: "meta", text: `${authorLabel(message)} · ${clock(message.at)}` }),
      el("p", { class: "text", text: message.text }),
    );
    if (urgent) {
      item.appendChild(el("p", { class: "warning", text: "Urgent: this may be a crisis. Nightlight sent her these routes:" }));
      const routes = el("ul", { class: "routes" });
      for (const line of message.routes || []) routes.appendChild(el("li", { text: line }));
      item.appendChild(routes);
      item.appendChild(el("p", { class: "warning", text: "Follow your safeguarding steps and tell your coordinator." }));
    }
    return item;
  }

  function lastId(entry) {
    const messages = entry.chat.messages || [];
    return messages.length ? messages[messages.length - 1].id : 0;
  }

  function cannedOptions(select) {
    select.replaceChildren(el("option", { value: "", text: state.canned.length ? "Insert a canned reply…" : "No canned replies yet" }));
    for (const reply of state.canned) select.appendChild(el("option", { value: String(reply.id), text: reply.title }));
    select.disabled = state.canned.length === 0;
  }

  function transferOptions(select) {
    const others = state.team.filter((s) => !state.me || s.id !== state.me.id);
    select.replaceChildren(el("option", { value: "", text: others.length ? "Choose a supporter…" : "Nobody else is signed in" }));
    for (const supporter of others) {
      const shift = supporter.on_shift ? "on shift" : "not on shift";
      select.appendChild(el("option", { value: supporter.id, text: `${supporter.display_name} (${shift})` }));
    }
    select.disabled = others.length === 0;
  }

  function buildPane(entry) {
    const card = entry.chat.handoff;
    const id = card.id;
    const pane = el("article", { class: "pane", "data-handoff": id, "aria-label": "Chat with her" });
    pane.appendChild(el("h3", { text: `${card.urgent ? "Urgent · " : ""}Chat with her · ${CHANNELS[card.channel] || words(card.channel)}` }));
    pane.appendChild(el("p", { class: "presence", role: "status" }));
    pane.appendChild(el("section", { class: "about", "aria-label": "What she agreed to share" }, summaryList(card)));
    if (Array.isArray(entry.chat.transcript)) {
      const transcript = el("ol", { class: "transcript" });
      for (const line of entry.chat.transcript) {
        const who = line.who === "nightlight" ? "Nightlight" : "Her";
        transcript.appendChild(el("li", { class: `line ${line.who}`, text: `${who}: ${line.text}` }));
      }
      pane.appendChild(el("details", { class: "earlier" }, el("summary", { text: "Her chat with the bot before this (she agreed to share it)" }), transcript));
    }
    const log = el("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Messages" });
    for (const message of entry.chat.messages || []) log.appendChild(messageNode(message));
    pane.appendChild(log);
    pane.appendChild(el("p", { class: "closed-note", role: "status" }));

    const sayId = `say-${id}`;
    const say = el("form", { class: "say stack" });
    const box = el("textarea", { id: sayId, rows: "2", maxlength: "4000", required: true });
    const canned = el("select", { "aria-label": "Insert a canned reply", class: "canned" });
    cannedOptions(canned);
    canned.addEventListener("change", () => {
      const reply = state.canned.find((r) => String(r.id) === canned.value);
      if (reply) {
        box.value = box.value ? `${box.value} ${reply.text}` : reply.text;
        box.focus();
      }
      canned.value = "";
    });
    box.addEventListener("input", () => {
      const now = Date.now();
      if (now - state.lastTyping > TYPING_EVERY_MS) {
        state.lastTyping = now;
        send({ type: "typing", handoff_id: id });
      }
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        say.requestSubmit();
      }
    });
    say.append(
      el("label", { for: sayId, text: "Message to her" }),
      box,
      el("div", { class: "row" }, canned, el("button", { type: "submit", text: "Send" })),
    );
    say.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = box.value.trim();
      if (!text) return;
      queueOutgoing(id, "say", text);
      box.value = "";
    });
    pane.appendChild(say);

    const noteId = `note-${id}`;
    const note = el("form", { class: "note stack" });
    const noteBox = el("textarea", { id: noteId, rows: "2", maxlength: "4000", required: true });
    note.append(
      el("label", { for: noteId, text: "Private note (only supporters see this, never her)" }),
      noteBox,
      el("div", { class: "row" }, el("button", { type: "submit", text: "Add note" })),
    );
    note.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = noteBox.value.trim();
      if (!text) return;
      queueOutgoing(id, "note", text);
      noteBox.value = "";
    });
    pane.appendChild(note);

    const to = el("select", { "aria-label": "Hand this chat to", class: "transfer-to" });
    transferOptions(to);
    const transfer = el("button", { type: "button", text: "Hand over" });
    transfer.addEventListener("click", () => {
      if (!to.value) return;
      const name = to.options[to.selectedIndex].textContent;
      if (window.confirm(`Hand this chat to ${name}? She will be told who is taking over.`)) {
        send({ type: "transfer", handoff_id: id, to: to.value });
      }
    });
    const end = el("button", { type: "button", class: "end", text: "End chat" });
    end.addEventListener("click", () => {
      if (window.confirm("End this chat? She will be thanked and handed back to the bot.")) {
        send({ type: "end", handoff_id: id });
      }
    });
    pane.appendChild(el("div", { class: "row actions" }, to, transfer, end));
    return pane;
  }

  function presenceText(entry) {
    const card = entry.chat.handoff;
    const parts = [];
    if (entry.typingUntil && Date.now() < entry.typingUntil) parts.push("She's typing…");
    else if (card.connected === true) parts.push("Her chat window is open");
    else if (card.connected === false) parts.push("She has closed the chat window: she'll see your messages when she's back");
    else parts.push(`On ${CHANNELS[card.channel] || words(card.channel)}: your messages reach her there`);
    parts.push(card.last_wrote_at ? `Last wrote at ${clock(card.last_wrote_at)} (${duration(serverNow() - card.last_wrote_at)} ago)` : "She hasn't written yet");
    return parts.join(" · ");
  }

  function showPresence(entry) {
    const line = entry.pane.querySelector(".presence");
    if (line) line.textContent = presenceText(entry);
  }

  function tabLabel(entry) {
    const card = entry.chat.handoff;
    const parts = [`${card.urgent ? "Urgent · " : ""}${CHANNELS[card.channel] || "Chat"} · ${clock(card.claimed_at)}`];
    if (entry.unread) parts.push("new message");
    if (entry.closed) parts.push("ended");
    return parts.join(" · ");
  }

  function renderTabs() {
    const tabs = $("chat-tabs");
    tabs.replaceChildren();
    for (const [id, entry] of state.chats) {
      const tab = el("button", { type: "button", class: "tab", "aria-pressed": String(id === state.active), text: tabLabel(entry) });
      tab.addEventListener("click", () => select(id));
      tabs.appendChild(tab);
    }
    $("chats-empty").hidden = state.chats.size > 0;
  }

  function select(id) {
    state.active = state.chats.has(id) ? id : null;
    for (const [other, entry] of state.chats) {
      entry.pane.hidden = other !== state.active;
      if (other === state.active) entry.unread = false;
    }
    renderTabs();
  }

  function upsertChat(chat) {
    const id = chat.handoff.id;
    const old = state.chats.get(id);
    const entry = { chat, pane: null, closed: false, unread: false };
    entry.pane = buildPane(entry);
    showPresence(entry);
    if (old) old.pane.replaceWith(entry.pane);
    else $("chat-panes").appendChild(entry.pane);
    state.chats.set(id, entry);
    for (const pending of state.pending.values()) {
      if (pending.handoffId === id) entry.pane.querySelector(".log").appendChild(pending.node);
    }
    if (!state.active || !state.chats.has(state.active)) state.active = id;
    select(state.active);
  }

  function appendMessage(handoffId, message) {
    const entry = state.chats.get(handoffId);
    if (!entry) return;
    if ((entry.chat.messages || []).some((m) => m.id === message.id)) return;
    entry.chat.messages.push(message);
    // A message of ours that was waiting to be confirmed is now stored: show the stored one instead.
    for (const [key, pending] of state.pending) {
      if (pending.handoffId === handoffId && message.supporter === (state.me && state.me.id) &&
          message.author === (pending.kind === "note" ? "note" : "supporter") && message.text === pending.text.trim()) {
        pending.node.remove();
        state.pending.delete(key);
        break;
      }
    }
    if (message.author === "her") {
      entry.chat.handoff.last_wrote_at = message.at;
      entry.typingUntil = 0;
      showPresence(entry);
    }
    const log = entry.pane.querySelector(".log");
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.appendChild(messageNode(message));
    if (atEnd || message.author !== "her") log.scrollTop = log.scrollHeight;
    if (handoffId !== state.active) {
      entry.unread = true;
      renderTabs();
    }
    if (message.author === "her" && message.urgent) chime(true);
  }

  function closeChat(handoffId, message, reason) {
    const entry = state.chats.get(handoffId);
    if (!entry) return;
    entry.closed = true;
    entry.pane.classList.add("closed");
    entry.pane.querySelector(".closed-note").textContent = message;
    for (const control of entry.pane.querySelectorAll("form textarea, form button, .actions select, .actions button")) {
      control.disabled = true;
    }
    const remove = el("button", { type: "button", class: "remove", text: "Close this chat" });
    remove.addEventListener("click", () => {
      entry.pane.remove();
      state.chats.delete(handoffId);
      select(state.chats.keys().next().value || null);
    });
    if (reason === "ended") entry.pane.appendChild(closingNoteForm(handoffId));
    entry.pane.appendChild(remove);
    renderTabs();
  }

  function closingNoteForm(handoffId) {
    // For the coordinators' audit trail: an outcome from a fixed list and a yes/no, never anyone's words.
    const form = el("form", { class: "closing stack", "aria-label": "Closing note for the coordinators" });
    const outcomeId = `outcome-${handoffId}`;
    const outcome = el("select", { id: outcomeId, required: true });
    outcome.appendChild(el("option", { value: "", text: "Choose how it ended…" }));
    for (const [code, label] of Object.entries(state.outcomes)) {
      outcome.appendChild(el("option", { value: code, text: label.charAt(0).toUpperCase() + label.slice(1) }));
    }
    const concernId = `concern-${handoffId}`;
    const concern = el("input", { type: "checkbox", id: concernId });
    form.append(
      el("h4", { text: "Closing note for the coordinators" }),
      el("label", { for: outcomeId, text: "How it ended" }),
      outcome,
      el("div", { class: "row" }, concern, el("label", { for: concernId, text: "There was a safeguarding concern" })),
      el("p", { class: "hint", text: "Only these choices are kept, in the audit trail. Nothing she or you wrote goes in it." }),
      el("div", { class: "row" }, el("button", { type: "submit", text: "Save closing note" })),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!outcome.value) return;
      send({ type: "closing_note", handoff_id: handoffId, outcome: outcome.value, safeguarding: concern.checked });
    });
    return form;
  }

  function forgetChat(handoffId, message) {
    // Her words have gone from Nightlight, so they go from the screen too; only the note stays, until closed.
    const entry = state.chats.get(handoffId);
    const note = $("queue-note");
    if (!entry) {
      if (state.queue.some((card) => card.id === handoffId)) {
        note.textContent = `${message} Her card has gone from the queue.`;
        note.hidden = false;
        window.setTimeout(() => { note.hidden = true; }, NOTE_MS);
      }
      return;
    }
    for (const pending of state.pending.values()) if (pending.handoffId === handoffId) pending.node.remove();
    entry.closed = true;
    entry.pane.classList.add("closed");
    const remove = el("button", { type: "button", class: "remove", text: "Close" });
    remove.addEventListener("click", () => {
      entry.pane.remove();
      state.chats.delete(handoffId);
      select(state.chats.keys().next().value || null);
    });
    entry.pane.replaceChildren(el("h3", { text: "Chat with her" }), el("p", { class: "closed-note", role: "status", text: message }), remove);
    renderTabs();
  }

  // ---- sending what she will read, so that a dropped connection loses nothing ------------------------------------

  function queueOutgoing(handoffId, kind, text) {
    const entry = state.chats.get(handoffId);
    const id = clientId();
    const node = el(
      "li",
      { class: `msg ${kind === "note" ? "note" : "supporter"} pending` },
      el("p", { class: "meta", text: kind === "note" ? "Private note · sending…" : "You · sending…" }),
      el("p", { class: "text", text }),
    );
    if (entry) entry.pane.querySelector(".log").appendChild(node);
    state.pending.set(id, { handoffId, kind, text, afterId: entry ? lastId(entry) : 0, node });
    send({ type: kind, handoff_id: handoffId, text, client_id: id });
  }

  function resendPending() {
    // After a reconnect: anything already stored (it came back in the chat) is dropped; the rest is sent again.
    for (const [id, pending] of state.pending) {
      const entry = state.chats.get(pending.handoffId);
      if (!entry) {
        pending.node.remove();
        state.pending.delete(id);
        continue;
      }
      const author = pending.kind === "note" ? "note" : "supporter";
      const stored = (entry.chat.messages || []).some(
        (m) => m.id > pending.afterId && m.author === author && m.supporter === state.me.id && m.text === pending.text.trim(),
      );
      if (stored) {
        pending.node.remove();
        state.pending.delete(id);
      } else {
        send({ type: pending.kind, handoff_id: pending.handoffId, text: pending.text, client_id: id });
      }
    }
  }

  // ---- coordinators: canned replies and the audit trail ----------------------------------------------------------

  function renderCanned() {
    for (const select of document.querySelectorAll("select.canned")) cannedOptions(select);
    const list = $("canned-list");
    list.replaceChildren();
    for (const reply of state.canned) {
      const edit = el("button", { type: "button", text: "Edit" });
      edit.addEventListener("click", () => {
        $("canned-id").value = String(reply.id);
        $("canned-title").value = reply.title;
        $("canned-text").value = reply.text;
        $("canned-save").textContent = "Save changes";
        $("canned-cancel").hidden = false;
        $("canned-title").focus();
      });
      const remove = el("button", { type: "button", text: "Delete" });
      remove.addEventListener("click", () => {
        if (window.confirm(`Delete the canned reply "${reply.title}"?`)) send({ type: "canned", action: "delete", id: reply.id });
      });
      list.appendChild(el("li", {}, el("h3", { text: reply.title }), el("p", { class: "text", text: reply.text }), el("div", { class: "row" }, edit, remove)));
    }
  }

  function resetCannedForm() {
    $("canned-id").value = "";
    $("canned-title").value = "";
    $("canned-text").value = "";
    $("canned-save").textContent = "Add reply";
    $("canned-cancel").hidden = true;
  }

  function renderAudit(events) {
    const body = $("audit").querySelector("tbody");
    body.replaceChildren();
    for (const event of events) {
      let what = words(event.event);
      if (event.to) what = `handed over to ${event.to}`;
      let long = "";
      if (event.seconds !== null && event.seconds !== undefined) {
        long = event.event === "claimed" ? `waited ${duration(event.seconds)}` : `chat lasted ${duration(event.seconds)}`;
      }
      body.appendChild(
        el("tr", {}, el("td", { text: day(event.at) }), el("td", { text: what }), el("td", { text: event.supporter || "" }),
          el("td", { class: "code", text: event.handoff }), el("td", { text: long })),
      );
    }
    if (!events.length) body.appendChild(el("tr", {}, el("td", { colspan: "5", text: "Nothing has happened yet." })));
  }

  // ---- frames from the gateway -----------------------------------------------------------------------------------

  const handlers = {
    welcome(frame) {
      state.me = frame.supporter;
      state.outcomes = frame.outcomes || {};
      state.backoff = 1000;
      setStatus("Connected.");
      showProblem("");
      $("who").textContent = `Signed in as ${frame.supporter.display_name} (${frame.supporter.role}) · ${frame.tenant.name}`;
      $("coordinator").hidden = frame.supporter.role !== "coordinator";
      $("on-shift").disabled = false;
      showShift(frame.on_shift);
      if (state.wantShift && !frame.on_shift) send({ type: "shift", on: true });
    },
    shift(frame) {
      showShift(frame.on);
    },
    team(frame) {
      state.team = frame.supporters || [];
      for (const select of document.querySelectorAll("select.transfer-to")) transferOptions(select);
      const hours = $("hours");
      state.open = Boolean(frame.open);
      showShift(Boolean(state.onShift));
      hours.hidden = frame.open;
      hours.textContent = frame.open ? "" : "It's outside peer-support hours: mothers are told when supporters are next on, and can leave a message.";
    },
    queue(frame) {
      state.clockOffset = (frame.now || Date.now() / 1000) - Date.now() / 1000;
      state.queue = frame.handoffs || [];
      renderQueue();
    },
    new_handoff(frame) {
      if ($("on-shift").checked) {
        chime(frame.urgent);
        notify(frame.urgent, frame.handoff_id);
      }
    },
    chats(frame) {
      for (const entry of state.chats.values()) entry.pane.remove();
      state.chats.clear();
      state.active = null;
      for (const chat of frame.chats || []) upsertChat(chat);
      renderTabs();
      resendPending();
    },
    chat(frame) {
      upsertChat(frame.chat);
      select(frame.chat.handoff.id);
      const box = state.chats.get(frame.chat.handoff.id).pane.querySelector(".say textarea");
      if (box) box.focus();
    },
    message(frame) {
      appendMessage(frame.handoff_id, frame.message);
    },
    chat_closed(frame) {
      closeChat(frame.handoff_id, frame.message, frame.reason);
    },
    presence(frame) {
      const entry = state.chats.get(frame.handoff_id);
      if (!entry || entry.closed) return;
      if (frame.connected !== undefined) entry.chat.handoff.connected = frame.connected;
      if (frame.last_wrote_at) entry.chat.handoff.last_wrote_at = frame.last_wrote_at;
      entry.typingUntil = frame.typing ? Date.now() + TYPING_SHOWN_MS : 0;
      showPresence(entry);
      if (frame.typing) window.setTimeout(() => showPresence(entry), TYPING_SHOWN_MS + 100);
    },
    noted(frame) {
      const entry = state.chats.get(frame.handoff_id);
      const form = entry && entry.pane.querySelector("form.closing");
      if (form) form.replaceWith(el("p", { class: "closed-note", role: "status", text: "Closing note saved for the coordinators." }));
    },
    deleted(frame) {
      forgetChat(frame.handoff_id, frame.message);
    },
    claim_lost(frame) {
      const card = document.querySelector(`#queue li[data-handoff="${CSS.escape(frame.handoff_id)}"] .card-problem`);
      if (card) card.textContent = frame.message;
      showProblem(frame.message);
    },
    ack(frame) {
      const pending = state.pending.get(frame.client_id);
      if (pending) {
        pending.node.classList.remove("pending");
        const meta = pending.node.querySelector(".meta");
        if (meta) meta.textContent = pending.kind === "note" ? "Private note" : "You";
        state.pending.delete(frame.client_id);
      }
    },
    canned(frame) {
      state.canned = frame.replies || [];
      renderCanned();
    },
    audit(frame) {
      renderAudit(frame.events || []);
    },
    error(frame) {
      if (frame.client_id && state.pending.has(frame.client_id)) {
        const pending = state.pending.get(frame.client_id);
        pending.node.classList.add("failed");
        pending.node.querySelector(".meta").textContent = "Not sent";
        state.pending.delete(frame.client_id);
      }
      showProblem(frame.message);
    },
    signed_out(frame) {
      state.signedOut = true;
      setStatus(frame.message);
      window.location.assign("/console/login");
    },
  };

  // ---- the connection --------------------------------------------------------------------------------------------

  async function connect() {
    let me;
    try {
      const response = await fetch("/console/api/me", { credentials: "same-origin", cache: "no-store" });
      if (response.status === 401) {
        window.location.assign("/console/login");
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      me = await response.json();
    } catch (error) {
      retry();
      return;
    }
    state.csrf = me.csrf;
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${window.location.host}/console/ws`);
    state.ws = ws;
    ws.addEventListener("open", () => ws.send(JSON.stringify({ type: "hello", csrf: state.csrf })));
    ws.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      const handler = frame && handlers[frame.type];
      if (handler) handler(frame);
    });
    ws.addEventListener("close", () => {
      if (state.ws === ws) state.ws = null;
      $("on-shift").disabled = true;
      showShift(false);
      if (!state.signedOut) retry();
    });
  }

  function retry() {
    const wait = Math.min(MAX_BACKOFF_MS, state.backoff) * (0.75 + Math.random() * 0.5);
    state.backoff = Math.min(MAX_BACKOFF_MS, state.backoff * 2);
    setStatus(`Connection lost. Trying again in ${Math.ceil(wait / 1000)} seconds… Nothing you have sent is lost.`);
    window.setTimeout(connect, wait);
  }

  async function signOut() {
    state.signedOut = true;
    try {
      await fetch("/console/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": state.csrf } });
    } finally {
      window.location.assign("/console/login");
    }
  }

  function start() {
    $("on-shift").addEventListener("change", (event) => {
      const on = event.target.checked;
      state.wantShift = on;
      sessionStorage.setItem("nightlight-console:shift", on ? "on" : "off");
      send({ type: "shift", on });
    });
    $("alerts").addEventListener("click", turnOnAlerts);
    $("sign-out").addEventListener("click", signOut);
    $("canned-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const id = $("canned-id").value;
      const reply = { title: $("canned-title").value, text: $("canned-text").value };
      send(id ? { type: "canned", action: "edit", id: Number(id), ...reply } : { type: "canned", action: "add", ...reply });
      resetCannedForm();
    });
    $("canned-cancel").addEventListener("click", resetCannedForm);
    $("audit-refresh").addEventListener("click", () => send({ type: "audit" }));
    $("audit-panel").addEventListener("toggle", (event) => {
      if (event.target.open) send({ type: "audit" });
    });
    window.setInterval(tick, TICK_MS);
    connect();
  }

  start();
})();
