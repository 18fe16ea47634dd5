// Accounts: who the page is signed in as (asked of the server before the socket connects, since the session is an
// HttpOnly cookie the page cannot read), and the sign-in / create-account dialog. Signing in or out reloads the
// page, so the socket, the rooms and the outbox all start over as the new user.

import { $ } from "./dom.js";

async function call(method, path, body) {
  try {
    const res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => ({}));
    return { status: res.status, ...json };
  } catch {
    return { ok: false, error: "network", message: "the server cannot be reached; try again" };
  }
}

/** {user: {userId, handle, displayName, admin} | null, guests: boolean}; null when the server cannot be asked. */
export async function whoAmI() {
  const res = await call("GET", "/api/auth/me");
  return res.ok ? { user: res.user || null, guests: res.guests !== false } : null;
}

export const signOut = () => call("POST", "/api/auth/signout", {});

/**
 * The dialog. required: no guests on this server, so it cannot be dismissed. onSignedIn runs after a session was
 * opened (the cookie is set).
 */
export class AuthDialog {
  constructor({ onSignedIn, onDismissed }) {
    this.onSignedIn = onSignedIn;
    this.onDismissed = onDismissed;
    this.mode = "signin";
    this.required = false;
    $("auth-mode-signin").addEventListener("click", () => this.setMode("signin"));
    $("auth-mode-signup").addEventListener("click", () => this.setMode("signup"));
    $("auth-cancel").addEventListener("click", () => this.close());
    // Escape closes a dialog the user may dismiss; a required one stays.
    $("auth-dialog").addEventListener("cancel", (e) => {
      if (this.required) e.preventDefault();
    });
    $("auth-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
  }

  open(mode = "signin", { required = false, message = "" } = {}) {
    this.required = required;
    $("auth-cancel").hidden = required;
    this.setMode(mode);
    $("auth-error").textContent = message;
    if (!$("auth-dialog").open) $("auth-dialog").showModal();
    $("auth-handle").focus();
  }

  close() {
    if (this.required) return;
    $("auth-dialog").close();
    this.onDismissed();
  }

  setMode(mode) {
    this.mode = mode;
    const signup = mode === "signup";
    $("auth-title").textContent = signup ? "Create an account" : "Sign in";
    $("auth-submit").textContent = signup ? "Create account" : "Sign in";
    $("auth-mode-signin").setAttribute("aria-selected", String(!signup));
    $("auth-mode-signup").setAttribute("aria-selected", String(signup));
    $("auth-name-row").hidden = !signup;
    $("auth-hint").hidden = !signup;
    $("auth-password").autocomplete = signup ? "new-password" : "current-password";
    $("auth-error").textContent = "";
  }

  async submit() {
    const handle = $("auth-handle").value.trim();
    const password = $("auth-password").value;
    if (!handle || !password) {
      $("auth-error").textContent = "Enter a handle and a password.";
      return;
    }
    const body = { handle, password };
    if (this.mode === "signup" && $("auth-name").value.trim()) body.displayName = $("auth-name").value.trim();
    $("auth-submit").disabled = true;
    const res = await call("POST", this.mode === "signup" ? "/api/auth/signup" : "/api/auth/signin", body);
    $("auth-submit").disabled = false;
    if (res.ok) {
      $("auth-password").value = "";
      this.onSignedIn(res.user);
    } else {
      $("auth-error").textContent = res.message || "That did not work; try again.";
    }
  }
}

/** The header: the signed-in name and Sign out, or a guest's nickname form and Sign in. */
export function renderAccount(who) {
  const user = who && who.user;
  $("me").hidden = !user;
  if (user) $("me").textContent = user.displayName + " (@" + user.handle + ")";
  $("guest-mark").hidden = !!user;
  $("nick-form").hidden = !!user;
  $("sign-in").hidden = !!user;
  $("sign-out").hidden = !user;
}
