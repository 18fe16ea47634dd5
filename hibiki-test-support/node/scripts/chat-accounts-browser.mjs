// Accounts in the chat's web UI, in headless Chromium (playwright-core, the system's browser). Two people create
// accounts from the page; one signs in again in a second browser (a fresh context: no cookie, no storage) and finds
// the same rooms and history; a guest calling itself by an account's name is marked as a guest; signing out turns
// that browser back into a guest while the first browser stays signed in. Each check that passes prints a "step"
// line; the first that does not prints failure {message}. Arguments: --url, --chromium, --shots (a directory for
// PNGs of the main states at 1280 and 390 px).
import { chromium } from "playwright-core";
import { emit, arg, limitRuntime, stepRunner, launchChromium } from "./lib.mjs";
import { png } from "./png.mjs";

limitRuntime(Number(arg("limit", "150000")));
const url = arg("url");
const shots = arg("shots", "");
const STEP_TIMEOUT = 15000;
let browser;
const step = stepRunner(() => browser && browser.close());

async function openPage(who, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on("pageerror", (err) => emit("pageerror", { user: who, message: err.message }));
  page.on("console", (msg) => {
    if (msg.type() === "error") emit("console-error", { user: who, text: msg.text() });
  });
  await page.goto(url + "/");
  await page.locator("#status.connected").waitFor();
  return page;
}

async function authenticate(page, mode, handle, password, displayName) {
  await page.click("#sign-in");
  await page.locator("#auth-dialog[open]").waitFor();
  await page.click(mode === "signup" ? "#auth-mode-signup" : "#auth-mode-signin");
  await page.fill("#auth-handle", handle);
  if (displayName) await page.fill("#auth-name", displayName);
  await page.fill("#auth-password", password);
  await page.click("#auth-submit");
  // The page reloads as the account.
  await page.locator("#me", { hasText: "@" + handle }).waitFor();
  await page.locator("#status.connected").waitFor();
}

const sentText = (page, text) => page.locator("#messages li[data-id] .text").filter({ hasText: text });

async function say(page, text) {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
  await sentText(page, text).waitFor();
}

async function joinFromUi(page, room) {
  await page.fill("#join-room", room);
  await page.press("#join-room", "Enter");
  await page.locator("#room-title", { hasText: "# " + room }).waitFor();
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png` });
}

await step("launch", async () => {
  browser = await launchChromium(chromium, arg("chromium", "/usr/bin/chromium"));
  return { version: browser.version() };
});

let alice;
let bob;
await step("sign-up-dialog", async () => {
  alice = await openPage("alice");
  // A new visitor is a guest, told so, with a way to sign in.
  await alice.locator("#guest-mark").waitFor();
  await alice.click("#sign-in");
  await alice.click("#auth-mode-signup");
  await shot(alice, "accounts-dialog-wide");
  // A refusal is shown in the dialog, which stays open.
  await alice.fill("#auth-handle", "alice\u200b");
  await alice.fill("#auth-password", "alice's passphrase");
  await alice.click("#auth-submit");
  const error = await alice.locator("#auth-error").textContent({ timeout: STEP_TIMEOUT });
  await alice.locator("#auth-error", { hasText: "invisible" }).waitFor();
  await alice.click("#auth-cancel");
  return { refused: error };
});

await step("sign-up", async () => {
  await authenticate(alice, "signup", "alice", "alice's passphrase", "Alice Liddell");
  if (!(await alice.locator("#guest-mark").isHidden())) throw new Error("a signed-in page is marked as a guest");
  bob = await openPage("bob");
  await authenticate(bob, "signup", "bob", "bob's passphrase", "Bob");
});

await step("chat", async () => {
  await joinFromUi(alice, "design");
  await say(alice, "first message from alice");
  await joinFromUi(bob, "design");
  await sentText(bob, "first message from alice").waitFor();
  await say(bob, "a reply from bob");
  await sentText(alice, "a reply from bob").waitFor();
  const author = await alice.locator("#messages li[data-id]", { hasText: "first message from alice" })
    .locator(".author").textContent();
  if (author !== "Alice Liddell") throw new Error("author shown as " + author);
  await shot(alice, "accounts-room-wide");
});

let second;
await step("second-browser", async () => {
  // Another browser: no cookie, no local storage. Signing in as alice brings her rooms and their history.
  second = await openPage("alice-phone", { width: 390, height: 844 });
  await authenticate(second, "signin", "ALICE", "alice's passphrase");
  await second.click("#nav-toggle");
  await second.locator('#rooms li[data-room="design"]').click();
  await sentText(second, "first message from alice").waitFor();
  await sentText(second, "a reply from bob").waitFor();
  const ids = await Promise.all([alice, second].map((p) => p.locator("#online li.me").textContent()));
  // What the second browser sends shows in the first as alice's own.
  await say(second, "sent from alice's phone");
  await sentText(alice, "sent from alice's phone").waitFor();
  const wide = await second.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) throw new Error("the page is " + wide + " px wide at 390");
  await shot(second, "accounts-second-browser-mobile");
  return { me: ids };
});

await step("guest-is-marked", async () => {
  const guest = await openPage("guest");
  await guest.fill("#nickname", "Alice Liddell");
  await guest.click("#nick-form button");
  await guest.locator("#online li.me", { hasText: "Alice Liddell (you)" }).waitFor();
  await guest.fill("#text", "a guest using alice's name");
  await guest.press("#text", "Enter");
  await alice.locator('#rooms li[data-room="general"]').click();
  const line = alice.locator("#messages li[data-id]", { hasText: "a guest using alice's name" });
  await line.locator(".guest-tag").waitFor();
  await alice.locator("#online li", { hasText: "Alice Liddell" }).locator(".guest-tag").waitFor();
  await alice.locator('#rooms li[data-room="design"]').click();
  const own = alice.locator("#messages li[data-id]", { hasText: "first message from alice" });
  await own.waitFor();
  if ((await own.locator(".guest-tag").count()) !== 0) throw new Error("an account's message is marked guest");
  await alice.locator('#rooms li[data-room="general"]').click();
  await shot(alice, "accounts-guest-marked-wide");
  await guest.context().close();
});

await step("sign-out", async () => {
  await second.click("#sign-out");
  await second.locator("#guest-mark").waitFor();
  await second.locator("#sign-in").waitFor();
  // The other browser's session is its own: still signed in, still connected, still sending.
  await alice.locator("#me", { hasText: "@alice" }).waitFor();
  await alice.locator('#rooms li[data-room="design"]').click();
  await say(alice, "still here after the phone signed out");
  await shot(second, "accounts-signed-out-mobile");
});

await step("directory", async () => {
  // Public rooms are found by what they are about; joining one from the list opens it.
  await alice.click("#browse");
  await alice.fill("#create-room-name", "secret plans");
  await alice.fill("#create-room-topic", "nobody else should see this");
  await alice.check("#create-room-private");
  await alice.click("#create-room-form button[type=submit]");
  await alice.locator("#room-title", { hasText: "# secret plans (private)" }).waitFor();
  await alice.locator("#room-topic", { hasText: "nobody else should see this" }).waitFor();
  await bob.click("#browse");
  await bob.fill("#directory-query", "des");
  const design = bob.locator("#directory-rooms li", { hasText: "design" });
  await design.locator(".members", { hasText: "2 members" }).waitFor();
  await shot(bob, "accounts-directory-wide");
  await bob.fill("#directory-query", "secret");
  await bob.locator("#directory-rooms li.empty").waitFor();
  // Anyone with an account can be messaged from the directory.
  await bob.fill("#directory-query", "liddell");
  await bob.locator("#directory-people li", { hasText: "@alice" }).getByRole("button", { name: /Message/ }).click();
  await bob.locator("#room-title", { hasText: "@ Alice Liddell" }).waitFor();
  await say(bob, "a direct word from bob");
  await alice.locator("#rooms li", { hasText: "@ Bob" }).waitFor();
});

await step("invite", async () => {
  await alice.locator('#rooms li[data-room="secret plans"]').click();
  await alice.click("#invite");
  await alice.fill("#room-invite-handle", "bob");
  await alice.click("#room-save");
  await bob.locator('#rooms li[data-room="secret plans"]').click();
  await bob.locator("#room-title", { hasText: "secret plans" }).waitFor();
  await say(bob, "thanks for the invitation");
  await say(alice, "nobody else should see this either");
  await sentText(alice, "thanks for the invitation").waitFor();
  // The owner changes the topic; the member sees it.
  await alice.click("#room-settings");
  await alice.fill("#room-edit-topic", "now with bob");
  await alice.click("#room-save");
  await bob.locator("#room-topic", { hasText: "now with bob" }).waitFor();
  if (!(await bob.locator("#room-settings").isHidden())) throw new Error("a member who does not own the room sees its settings");
});

await step("search", async () => {
  // Found where it was said, the words marked; a click opens the room at the message.
  await alice.fill("#search-query", "invitation THANKS");
  await alice.press("#search-query", "Enter");
  const hit = alice.locator("#search-results li", { hasText: "thanks for the invitation" });
  await hit.locator("mark", { hasText: "invitation" }).waitFor();
  await hit.locator(".where", { hasText: "secret plans" }).waitFor();
  await shot(alice, "search-results-wide");
  await hit.click();
  await alice.locator("#room-title", { hasText: "secret plans" }).waitFor();
  await alice.locator("#messages li.found", { hasText: "thanks for the invitation" }).waitFor();
  // A message pages back in a busy room: older pages load until it is on screen.
  await alice.fill("#search-query", "needle");
  await alice.press("#search-query", "Enter");
  await alice.locator("#search-results li", { hasText: "an old needle in the haystack" }).click();
  await alice.locator("#messages li.found", { hasText: "an old needle in the haystack" }).waitFor();
  // Someone not in the private room does not find what was said there.
  const outsider = await openPage("outsider");
  await outsider.fill("#search-query", "nobody else should see");
  await outsider.press("#search-query", "Enter");
  await outsider.locator("#search-results li.empty").waitFor();
  await outsider.context().close();
});

await step("mentions-and-notifications", async () => {
  // A fresh browser for alice whose Notification records what the page does with it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    window.__notifications = { asked: 0, shown: [] };
    class Recorded {
      constructor(title, options) {
        window.__notifications.shown.push({ title, body: options && options.body });
      }
      close() {}
    }
    Recorded.permission = "default";
    Recorded.requestPermission = async () => {
      window.__notifications.asked++;
      Recorded.permission = "granted";
      return "granted";
    };
    window.Notification = Recorded;
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on("pageerror", (err) => emit("pageerror", { user: "alice-notified", message: err.message }));
  await page.goto(url + "/");
  await page.locator("#status.connected").waitFor();
  await authenticate(page, "signin", "alice", "alice's passphrase");
  const asked = () => page.evaluate(() => window.__notifications.asked);
  if ((await asked()) !== 0) throw new Error("permission asked on load");
  await page.click("#notify");
  await page.locator("#notify").waitFor({ state: "hidden" });
  if ((await asked()) !== 1) throw new Error("permission not asked on the click");
  await page.locator('#rooms li[data-room="design"]').click();
  await page.locator("#room-title", { hasText: "# design" }).waitFor();
  // Bob mentions her in another room: a mention badge there, a notification, the mention marked.
  await bob.locator('#rooms li[data-room="general"]').click();
  await say(bob, "hey @Alice, look at this");
  await page.locator('#rooms li[data-room="general"] .badge.mention', { hasText: "@1" }).waitFor();
  await page.waitForFunction(() => window.__notifications.shown.some((n) => n.body === "hey @Alice, look at this"));
  await say(bob, "no mention here, @alicex is someone else");
  await page.locator('#rooms li[data-room="general"] .badge.mention', { hasText: "@1" }).waitFor();
  await page.locator('#rooms li[data-room="general"]').click();
  const mentioned = page.locator("#messages li.mentions-me", { hasText: "hey @Alice" });
  await mentioned.locator(".mention.me", { hasText: "@Alice" }).waitFor();
  if ((await page.locator("#messages li.mentions-me").count()) !== 1) throw new Error("@alicex counted as alice");
  await page.locator('#rooms li[data-room="general"] .badge.mention').waitFor({ state: "detached" });
  // A direct message notifies without a mention.
  await page.locator('#rooms li[data-room="design"]').click();
  await bob.locator("#rooms li", { hasText: "@ Alice Liddell" }).click();
  await say(bob, "just between us");
  await page.waitForFunction(() => window.__notifications.shown.some((n) => n.body === "just between us"));
  const shown = await page.evaluate(() => window.__notifications.shown);
  if (shown.length !== 2) throw new Error("notifications: " + JSON.stringify(shown));
  if (shots) await page.screenshot({ path: `${shots}/accounts-mentions-wide.png` });
  await context.close();
  return { shown };
});

await step("directory-mobile", async () => {
  const phone = await openPage("bob-phone", { width: 390, height: 844 });
  await authenticate(phone, "signin", "bob", "bob's passphrase");
  await phone.click("#nav-toggle");
  await phone.click("#browse");
  await phone.locator("#directory-rooms li", { hasText: "design" }).waitFor();
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) throw new Error("the page is " + wide + " px wide at 390");
  await shot(phone, "accounts-directory-mobile");
  await phone.context().close();
});

await step("phone", async () => {
  // Bob on a phone: search from the drawer, a mention elsewhere (badge, tab title, the mark), an upload from the
  // Attach button, deleting a message; never wider than the screen.
  const phone = await openPage("bob-phone-2", { width: 390, height: 844 });
  await authenticate(phone, "signin", "bob", "bob's passphrase");
  await phone.click("#nav-toggle");
  await phone.fill("#search-query", "invitation");
  await phone.press("#search-query", "Enter");
  const hit = phone.locator("#search-results li", { hasText: "thanks for the invitation" });
  await hit.locator("mark", { hasText: "invitation" }).waitFor();
  const box = await phone.locator("#search-dialog").boundingBox();
  if (box.x < 0 || box.x + box.width > 390) throw new Error("the results are off screen: " + JSON.stringify(box));
  await shot(phone, "accounts-search-mobile");
  await hit.click();
  await phone.locator("#messages li.found", { hasText: "thanks for the invitation" }).waitFor();
  if (await phone.evaluate(() => document.body.classList.contains("nav-open"))) throw new Error("the drawer stayed open");
  await alice.locator('#rooms li[data-room="design"]').click();
  await say(alice, "@bob over here");
  await phone.locator("#nav-toggle-count", { hasText: "1" }).waitFor();
  await phone.waitForFunction(() => document.title.startsWith("(1) "));
  await phone.click("#nav-toggle");
  await phone.locator('#rooms li[data-room="design"] .badge.mention', { hasText: "@1" }).click();
  await phone.locator("#messages li.mentions-me .mention.me", { hasText: "@bob" }).waitFor();
  await phone.waitForFunction(() => !document.title.startsWith("("));
  await phone.setInputFiles("#file", { name: "phone-photo.png", mimeType: "image/png", buffer: Buffer.from(png(64, 48)) });
  await alice.locator("#messages li figcaption", { hasText: "phone-photo.png" }).waitFor();
  await say(phone, "sent by mistake");
  await sentText(alice, "sent by mistake").waitFor();
  const mistake = phone.locator("#messages li[data-id]", { has: phone.locator(".text", { hasText: "sent by mistake" }) });
  await mistake.getByRole("button", { name: "Delete message" }).click();
  await mistake.getByRole("button", { name: "Confirm: delete this message for everyone" }).click();
  await sentText(alice, "sent by mistake").waitFor({ state: "detached" });
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) throw new Error("the page is " + wide + " px wide at 390");
  await shot(phone, "accounts-phone-mobile");
  // The narrowest phones in use: 360 px, still nothing sideways, the composer whole.
  await phone.setViewportSize({ width: 360, height: 740 });
  const narrow = await phone.evaluate(() => document.documentElement.scrollWidth);
  if (narrow > 360) throw new Error("the page is " + narrow + " px wide at 360");
  const send = await phone.locator("#send").boundingBox();
  if (!send || send.x + send.width > 360) throw new Error("Send is off screen at 360: " + JSON.stringify(send));
  await shot(phone, "accounts-phone-360");
  await phone.context().close();
});

await browser.close();
emit("done");
