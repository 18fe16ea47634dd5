// Desktop notifications for mentions and direct conversations. Permission is asked only when the person presses
// the button (never on load); once granted, a message that mentions them, or comes in a direct or group
// conversation, notifies while the page is not in front of them.

import { $ } from "./dom.js";

const supported = () => typeof Notification !== "undefined";

export function initNotifications() {
  const button = $("notify");
  const show = () => {
    button.hidden = !supported() || Notification.permission !== "default";
  };
  show();
  button.addEventListener("click", async () => {
    if (!supported()) return;
    await Notification.requestPermission();
    show();
  });
}

/** Notifies of an incoming message when it calls for it; onOpen shows it (the page comes to the front). */
export function maybeNotify({ room, message, mention }, { current, label, onOpen }) {
  if (!supported() || Notification.permission !== "granted" || room.muted) return;
  const personal = mention || room.kind === "direct" || room.kind === "group";
  if (!personal || (document.visibilityState === "visible" && room.name === current)) return;
  const text = message.deleted ? "" : (message.text || (message.attachment ? "sent a file" : ""));
  const n = new Notification((mention ? "@ " : "") + (message.author || "someone") + " in " + label, {
    body: text.length > 140 ? text.slice(0, 140) + "…" : text,
    tag: "hibiki-" + room.name,
  });
  n.onclick = () => {
    window.focus();
    onOpen(room.name);
    n.close();
  };
}
