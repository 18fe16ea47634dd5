// The connection pill in the header and the page's one error line.

import { $ } from "./dom.js";

export function setStatus(status) {
  const pill = $("status");
  pill.textContent = status;
  pill.className = "status " + status;
}

export function showError(text) {
  $("error").textContent = text || "";
}
