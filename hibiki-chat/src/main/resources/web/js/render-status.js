// The connection pill in the header and the page's one error line.

import { $ } from "./dom.js";

export function setStatus(status) {
  const pill = $("status");
  pill.textContent = status;
  pill.className = "status " + status;
}

let clearTimer = null;

/** Shows an error; it clears itself after a while (a newer one, or a reconnect, replaces it sooner). */
export function showError(text) {
  $("error").textContent = text || "";
  clearTimeout(clearTimer);
  if (text) clearTimer = setTimeout(() => { $("error").textContent = ""; }, 10000);
}
