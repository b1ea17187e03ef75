// The plain chat page. Everything from the server or from her is rendered with textContent: no HTML is parsed.
"use strict";

const log = document.getElementById("log");
const form = document.getElementById("composer");
const input = document.getElementById("message");
const status = document.getElementById("status");

function add(text, who, kind) {
  const item = document.createElement("div");
  item.className = `message from-${who}` + (kind === "crisis" ? " crisis" : "");
  if (kind === "crisis") item.setAttribute("role", "alert");
  item.textContent = text;
  log.appendChild(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

function render(message) {
  const item = add(message.text, "bot", message.kind);
  if (message.link && /^https:\/\//.test(message.link.url)) {
    const p = document.createElement("p");
    const a = document.createElement("a");
    a.href = message.link.url;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    a.textContent = `Read more: ${message.link.title}`;
    p.appendChild(a);
    item.appendChild(p);
  }
  if (message.card) renderCard(item, message.card);
  if (message.buttons && message.buttons.length) {
    const row = document.createElement("div");
    row.className = "buttons";
    for (const b of message.buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", () => send({ payload: b.payload }, b.title));
      row.appendChild(button);
    }
    item.appendChild(row);
  }
}

const SAFE_LINK = { tel: /^tel:\+?[0-9]{3,15}$/, sms: /^sms:\+?[0-9]{3,15}(\?body=[A-Za-z0-9]{1,20})?$/, https: /^https:\/\// };

function renderCard(item, card) {
  const box = document.createElement("div");
  box.className = "card";
  if (card.sample) {
    const badge = document.createElement("p");
    badge.className = "sample";
    badge.textContent = "Sample directory: an example, not a real service";
    box.appendChild(badge);
  }
  for (const link of card.links || []) {
    const pattern = SAFE_LINK[link.kind];
    if (!pattern || !pattern.test(link.url)) continue;
    const a = document.createElement("a");
    a.href = link.url;
    a.rel = "noopener noreferrer";
    if (link.kind === "https") a.target = "_blank";
    a.textContent = link.title;
    box.appendChild(a);
  }
  if (card.checked) {
    const checked = document.createElement("p");
    checked.className = "checked";
    checked.textContent = `Details checked on ${card.checked}`;
    box.appendChild(checked);
  }
  item.appendChild(box);
}

async function send(body, shown) {
  add(shown, "her");
  status.textContent = "Nightlight is writing…";
  try {
    const response = await fetch("/page/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) {
      status.textContent = data.error ? data.error.message : "That didn't send. Please try again.";
      return;
    }
    data.messages.forEach(render);
    status.textContent = "";
  } catch (error) {
    status.textContent = "Nightlight can't be reached. If you need someone now, call Samaritans free, any time.";
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send({ text }, text);
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
});
send({ payload: "/greet" }, "Hello");
