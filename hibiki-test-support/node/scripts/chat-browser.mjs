// End-to-end run of the chat's web UI in headless Chromium (playwright-core, the system's browser): users in
// separate browser contexts chat in rooms and direct conversations, reload, and go offline. Each check that passes
// prints a "step" line {name, …}; the first one that does not prints failure {message} and ends the script. At the
// end: a "done" line.
// Arguments: --url (the chat), --screenshot (PNG path, the second user's page mid-run), --chromium (executable),
// --latest (a text the default room's newest message has, which must be on screen after loading),
// --screenshot-wide / --screenshot-mobile (optional PNG paths: the UI at 1280 px and at 390 px wide, taken at the
// end; the mobile one also gets a "-rooms" twin with the room list open).
import { chromium } from "playwright-core";
import { io } from "socket.io-client";
import { png } from "./png.mjs";
import { emit, arg, limitRuntime, fail, stepRunner, launchChromium } from "./lib.mjs";

limitRuntime(Number(arg("limit", "240000")));
const url = arg("url");
const STEP_TIMEOUT = 15000;

// ---- the run ----
let browser;
const step = stepRunner(() => browser && browser.close());

/** A page in its own context, reporting its errors; storage: localStorage entries to start with (an identity). */
async function openPage(nickname, storage) {
  const origin = new URL(url).origin;
  const context = await browser.newContext({
    viewport: { width: 1100, height: 720 },
    storageState: storage
      ? { cookies: [], origins: [{ origin, localStorage: Object.entries(storage).map(([name, value]) => ({ name, value })) }] }
      : undefined,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on("pageerror", (err) => emit("pageerror", { user: nickname, message: err.message }));
  page.on("response", (res) => {
    if (res.status() >= 400) emit("http-error", { user: nickname, url: res.url(), status: res.status() });
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") emit("console-error", { user: nickname, text: msg.text() });
  });
  await page.goto(url + "/");
  await page.locator("#status.connected").waitFor();
  return page;
}

async function openUser(nickname, latest) {
  const page = await openPage(nickname);
  // The default room shows its newest messages on first load, however many it has.
  if (latest) await messageText(page, latest).first().waitFor();
  await page.fill("#nickname", nickname);
  await page.click("#nick-form button");
  await page.locator("#online li", { hasText: nickname + " (you)" }).waitFor();
  return page;
}

const messageText = (page, text) => page.locator("#messages li .text").filter({ hasText: text });
/** A message the server has stored (it has an id), as opposed to one pending or refused in the outbox. */
const sentText = (page, text) => page.locator("#messages li[data-id] .text").filter({ hasText: text });

async function say(page, text) {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
}

async function joinFromUi(page, room) {
  await page.fill("#join-room", room);
  await page.press("#join-room", "Enter");
  await page.locator("#room-title", { hasText: "# " + room }).waitFor();
}

/** A Node client of the chat (not a page): its own connection and its own rate budget. */
function client(auth) {
  return io(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth });
}

async function ask(socket, event, payload) {
  const res = await socket.timeout(STEP_TIMEOUT).emitWithAck(event, payload);
  if (!res || !res.ok) throw new Error(event + " refused: " + JSON.stringify(res));
  return res;
}

await step("launch", async () => {
  browser = await launchChromium(chromium, arg("chromium", "/usr/bin/chromium"));
  return { version: browser.version() };
});
let a;
let b;
await step("open", async () => {
  a = await openUser("Alice", arg("latest", ""));
  b = await openUser("Bob", arg("latest", ""));
});
// The default room opened with its newest page; "Load older messages" adds the page before it, in order.
await step("older", async () => {
  const before = await a.locator("#messages li[data-id]").count();
  await a.click("#older");
  await a.waitForFunction((n) => document.querySelectorAll("#messages li[data-id]").length > n, before);
  const ids = await a.$$eval("#messages li[data-id]", (items) => items.map((li) => Number(li.dataset.id)));
  if (ids.some((id, i) => i > 0 && id <= ids[i - 1])) throw new Error("not in id order after loading older messages");
  return { before, after: ids.length };
});
await step("join-room", async () => {
  for (const page of [a, b]) await joinFromUi(page, "e2e");
});
await step("presence", async () => {
  await b.locator("#online li", { hasText: "Alice" }).waitFor();
  await b.locator("#online li", { hasText: "Bob (you)" }).waitFor();
  await a.locator("#online li", { hasText: "Bob" }).waitFor();
  return { online: await b.locator("#online li").allTextContents() };
});
await step("message", async () => {
  await a.fill("#text", "Hello Bob, this is Alice");
  await a.press("#text", "Enter");
  const item = b.locator("#messages li").filter({ hasText: "Hello Bob, this is Alice" });
  await item.waitFor();
  const author = await item.locator(".author").textContent();
  if (author !== "Alice") throw new Error("author shown as " + author);
  await sentText(a, "Hello Bob, this is Alice").waitFor();
});
await step("typing", async () => {
  await a.locator("#text").pressSequentially("I am typ", { delay: 20 });
  await b.locator("#typing", { hasText: "Alice is typing" }).waitFor();
  await a.fill("#text", "");
  return { shown: await b.locator("#typing").textContent() };
});
await step("image", async () => {
  await a.setInputFiles("#file", { name: "gradient.png", mimeType: "image/png", buffer: png(96, 64) });
  const img = b.locator('#messages img[src^="/uploads/"]');
  await img.waitFor();
  await b.waitForFunction(() => {
    const i = document.querySelector('#messages img[src^="/uploads/"]');
    return i && i.complete && i.naturalWidth === 96 && i.naturalHeight === 64;
  }, null, { timeout: STEP_TIMEOUT });
  return { src: await img.getAttribute("src") };
});
const markup = "<b>bold</b><script>window.__pwned = 1</script>";
await step("markup-is-text", async () => {
  await a.fill("#text", markup);
  await a.press("#text", "Enter");
  const text = messageText(b, "<b>bold</b>");
  await text.waitFor();
  const shown = await text.textContent();
  if (shown !== markup) throw new Error("shown as " + JSON.stringify(shown));
  const elements = await b.locator("#messages b, #messages script").count();
  if (elements !== 0) throw new Error(elements + " elements made from message text");
  if (await b.evaluate(() => window.__pwned !== undefined)) throw new Error("the script ran");
  return { shown };
});
await step("screenshot", async () => {
  await b.locator("#messages img").scrollIntoViewIfNeeded();
  await b.screenshot({ path: arg("screenshot"), fullPage: false });
});
// Three other clients (each within its own rate limit) post 60 messages at once: Bob's page must show them all
// and stay within its own event budget (its read markers must not get it rate limited). Bob's own message is
// acknowledged after any error his earlier events caused, so once it shows as sent, no error means none came.
await step("busy-room", async () => {
  const bots = [];
  for (let i = 0; i < 3; i++) {
    const bot = client({ nickname: "Bot " + i, userId: "bot-user-000" + i });
    bots.push(bot);
    const joined = await bot.timeout(STEP_TIMEOUT).emitWithAck("join-room", "e2e");
    if (!joined.ok) throw new Error("bot could not join: " + JSON.stringify(joined));
  }
  const acks = await Promise.all(bots.flatMap((bot, i) => Array.from({ length: 20 }, (_, n) =>
    bot.timeout(STEP_TIMEOUT).emitWithAck("send-message-to-room", { room: "e2e", message: `burst ${i}-${n}` }))));
  if (!acks.every((res) => res.ok)) throw new Error("bot messages refused: " + JSON.stringify(acks.find((r) => !r.ok)));
  for (let i = 0; i < 3; i++) await messageText(b, `burst ${i}-19`).waitFor();
  const shown = await b.locator("#messages li .text", { hasText: /^burst \d-\d+$/ }).count();
  if (shown !== 60) throw new Error(shown + " of 60 messages shown");
  await b.fill("#text", "Bob after the burst");
  await b.press("#text", "Enter");
  await sentText(b, "Bob after the burst").waitFor();
  const error = await b.locator("#error").textContent();
  if (error) throw new Error("Bob's page shows an error: " + error);
  bots.forEach((bot) => bot.disconnect());
  return { shown };
});
// Bob opens a direct conversation from the online list; Alice finds it in her room list.
await step("direct", async () => {
  await b.locator("#online li", { hasText: "Alice" }).click();
  await b.locator("#room-title", { hasText: "@ Alice" }).waitFor();
  await b.fill("#text", "just between us");
  await b.press("#text", "Enter");
  await sentText(b, "just between us").waitFor();
  const entry = a.locator("#rooms li", { hasText: "@ Bob" });
  await entry.locator(".badge", { hasText: "1" }).waitFor();
  await entry.click();
  await a.locator("#room-title", { hasText: "@ Bob" }).waitFor();
  await messageText(a, "just between us").waitFor();
});
// Alice mutes the conversation with Bob: it stays, Bob's next message still arrives and is counted, but its badge
// is grey and the room is dimmed; unmuting from the same button brings it back to normal.
await step("mute", async () => {
  await a.click("#mute");
  await a.locator('#mute[aria-pressed="true"]', { hasText: "Unmute" }).waitFor();
  await a.locator('#rooms li[data-room="general"]').click();
  await a.locator("#room-title", { hasText: "# general" }).waitFor();
  await b.fill("#text", "while muted");
  await b.press("#text", "Enter");
  const entry = a.locator("#rooms li.muted", { hasText: "@ Bob" });
  await entry.locator(".badge.quiet", { hasText: "1" }).waitFor();
  if (arg("screenshot-wide")) {
    // Alice's page with the muted conversation, for a person to look at (nothing is asserted).
    await a.setViewportSize({ width: 1280, height: 800 });
    await a.screenshot({ path: arg("screenshot-wide").replace(/\.png$/, "-muted.png") });
    if (arg("screenshot-mobile")) {
      // On a phone, the room list behind its toggle, whose count leaves the muted conversation out.
      await a.setViewportSize({ width: 390, height: 844 });
      await a.click("#nav-toggle");
      await a.screenshot({ path: arg("screenshot-mobile").replace(/\.png$/, "-muted.png") });
      await a.click("#nav-toggle");
    }
    await a.setViewportSize({ width: 1100, height: 720 });
  }
  await entry.click();
  await messageText(a, "while muted").waitFor();
  await a.click("#mute");
  await a.locator('#mute[aria-pressed="false"]').waitFor();
  await a.locator("#rooms li.muted", { hasText: "@ Bob" }).waitFor({ state: "detached" });
});
// Alice leaves the room from the UI: she is back in the default room, e2e is gone from her list (membership is
// the server's; the page keeps no list of its own) and Bob sees her go.
await step("leave-room", async () => {
  await a.locator("#rooms li", { hasText: "e2e" }).click();
  await a.locator("#room-title", { hasText: "# e2e" }).waitFor();
  await a.click("#leave");
  await a.locator("#room-title", { hasText: "# general" }).waitFor();
  await a.locator('#rooms li[data-room="e2e"]').waitFor({ state: "detached" });
  if (!(await a.locator("#leave").isHidden())) throw new Error("the default room offers to leave");
  const stored = await a.evaluate(() => localStorage.getItem("hibiki.rooms"));
  if (stored !== null) throw new Error("the page keeps its own room list: " + stored);
  await b.locator("#rooms li", { hasText: "e2e" }).click();
  await b.locator("#online li", { hasText: "Alice" }).waitFor({ state: "detached" });
});
// Alice types 30 messages as fast as the page takes them: they leave one at a time from the outbox, so Bob sees
// them in the order typed. Then a 5 000-character paste: refused on the page with the limit shown, never cut,
// never sent.
await step("ordered-burst", async () => {
  for (const page of [a, b]) await joinFromUi(page, "burst");
  const texts = Array.from({ length: 30 }, (_, i) => `ordered ${String(i).padStart(2, "0")}`);
  for (const text of texts) await say(a, text);
  await messageText(b, "ordered 29").waitFor();
  await b.waitForFunction(() => document.querySelectorAll("#messages li[data-id] .text").length >= 30);
  const shown = (await b.locator("#messages li[data-id] .text").allTextContents()).filter((t) => t.startsWith("ordered "));
  if (JSON.stringify(shown) !== JSON.stringify(texts)) throw new Error("Bob sees " + JSON.stringify(shown));
  await a.waitForFunction(() => !document.querySelector("#messages li.pending, #messages li.failed"));

  const long = "x".repeat(5000);
  await a.fill("#text", long);
  await a.locator("#counter.over", { hasText: "5000 / 2000" }).waitFor();
  const hint = await a.locator("#limit-hint").textContent();
  if (!hint.includes("2000")) throw new Error("the limit is not explained: " + JSON.stringify(hint));
  if (!(await a.locator("#send").isDisabled())) throw new Error("Send stays enabled over the limit");
  await a.press("#text", "Enter");
  const kept = await a.locator("#text").inputValue();
  if (kept.length !== 5000) throw new Error("the input holds " + kept.length + " characters after Enter");
  const queued = await a.evaluate(() => localStorage.getItem("hibiki.outbox"));
  if (queued) throw new Error("the long text was queued: " + queued.slice(0, 80));
  await a.fill("#text", "");
  await say(a, "after the long one");
  await messageText(b, "after the long one").waitFor();
  const longOnes = await b.locator("#messages li .text").filter({ hasText: "xxxxxxxxxx" }).count();
  if (longOnes) throw new Error("the long text reached Bob");
  return { shown: shown.length, hint };
});
// Gina opens a direct conversation with Hank; Hank closes his page; Gina writes twice (stored, not pending).
// Hank comes back with the same identity: the conversation is in his list with 2 unread, opening it shows both,
// and the next message arrives live.
await step("dm-offline", async () => {
  const gina = await openUser("Gina");
  let hank = await openUser("Hank");
  await gina.locator("#online li", { hasText: "Hank" }).click();
  await gina.locator("#room-title", { hasText: "@ Hank" }).waitFor();
  await hank.locator("#rooms li", { hasText: "@ Gina" }).waitFor();
  const identity = await hank.evaluate(() => ({ ...localStorage }));
  await hank.context().close();
  const texts = ["are you there, Hank?", "call me when you are back"];
  for (const text of texts) await say(gina, text);
  for (const text of texts) await sentText(gina, text).waitFor();
  if (await gina.locator("#messages li.pending, #messages li.failed").count()) throw new Error("Gina's DMs are not all sent");

  hank = await openPage("Hank", identity);
  const entry = hank.locator("#rooms li", { hasText: "@ Gina" });
  await entry.locator(".badge", { hasText: "2" }).waitFor();
  await entry.click();
  await hank.locator("#room-title", { hasText: "@ Gina" }).waitFor();
  for (const text of texts) await messageText(hank, text).waitFor();
  await say(gina, "welcome back");
  await messageText(hank, "welcome back").waitFor();
  await gina.context().close();
  await hank.context().close();
});
// Ivy is in 40 rooms (joined from another connection of hers: the page learns of them live). While her page
// reloads, others post one message in each. After the reload all 40 are listed with an unread badge, from the
// snapshot alone: the page sends a handful of events, not a join per room.
await step("reload-40-rooms", async () => {
  const ivy = await openUser("Ivy");
  const auth = await ivy.evaluate(() => ({ userId: localStorage.getItem("hibiki.userId"),
    userToken: localStorage.getItem("hibiki.userToken"), nickname: localStorage.getItem("hibiki.nickname") }));
  const rooms = Array.from({ length: 40 }, (_, i) => `many-${String(i).padStart(2, "0")}`);
  // Two connections of hers and four of others, each within its own burst of 30 events.
  const hers = [client(auth), client(auth)];
  await Promise.all(hers.map((s, k) => Promise.all(rooms.filter((_, i) => i % 2 === k).map((r) => ask(s, "join-room", r)))));
  hers.forEach((s) => s.disconnect());
  await ivy.waitForFunction(() => document.querySelectorAll('#rooms li[data-room^="many-"]').length === 40);
  const others = Array.from({ length: 4 }, (_, i) => client({ nickname: "Poster " + i, userId: "poster-user-000" + i }));
  await Promise.all(others.map((s, k) => Promise.all(rooms.slice(k * 10, k * 10 + 10).map((r) => ask(s, "join-room", r)))));

  const events = [];
  ivy.on("websocket", (ws) => ws.on("framesent", (frame) => {
    // Socket.IO event packets start with "42"; pings, the connect packet and upgrade probes are not events.
    if (typeof frame.payload === "string" && frame.payload.startsWith("42")) events.push(frame.payload.slice(0, 60));
  }));
  const reloading = ivy.reload();
  await Promise.all(others.map((s, k) => Promise.all(rooms.slice(k * 10, k * 10 + 10)
    .map((r) => ask(s, "send-message-to-room", { room: r, message: "while you were away in " + r, clientId: "away-" + r })))));
  await reloading;
  await ivy.locator("#status.connected").waitFor();
  await ivy.waitForFunction(() => {
    const items = [...document.querySelectorAll('#rooms li[data-room^="many-"]')];
    return items.length === 40 && items.every((li) => li.querySelector(".badge"));
  });
  // One message each from others, counted once whether it was in the snapshot's figure or arrived live.
  const badges = await ivy.locator('#rooms li[data-room^="many-"] .badge').allTextContents();
  if (badges.some((t) => t !== "1")) throw new Error("badges " + JSON.stringify(badges));
  others.forEach((s) => s.disconnect());
  const error = await ivy.locator("#error").textContent();
  if (error) throw new Error("Ivy's page shows an error: " + error);
  if (events.length > 6) throw new Error(events.length + " events after the reload: " + JSON.stringify(events));
  await ivy.context().close();
  return { events };
});
// Bob's connection drops: the page says so, what he types waits in the outbox (shown as pending), and when the
// connection is back it goes out in the order typed, and what Alice said meanwhile is caught up.
await step("offline-outbox", async () => {
  await b.locator("#rooms li", { hasText: "burst" }).click();
  await b.locator("#room-title", { hasText: "# burst" }).waitFor();
  await b.context().setOffline(true);
  await b.locator("#status.offline, #status.reconnecting").waitFor();
  await say(b, "typed while offline 1");
  await say(b, "typed while offline 2");
  await b.locator("#messages li.pending .text", { hasText: "typed while offline 2" }).waitFor();
  const pending = await b.locator("#messages li.pending").count();
  await say(a, "said while Bob was away");
  await sentText(a, "said while Bob was away").waitFor();
  await b.context().setOffline(false);
  await b.locator("#status.connected").waitFor();
  for (const text of ["typed while offline 1", "typed while offline 2"]) await sentText(b, text).waitFor();
  // Catch-up brought what Bob missed, once, before his own later messages.
  await sentText(b, "said while Bob was away").waitFor();
  const order = (await b.locator("#messages li[data-id] .text").allTextContents())
    .filter((t) => t.startsWith("typed while offline") || t === "said while Bob was away");
  if (order.join("|") !== "said while Bob was away|typed while offline 1|typed while offline 2") {
    throw new Error("Bob sees " + JSON.stringify(order));
  }
  await messageText(a, "typed while offline 2").waitFor();
  const shown = (await a.locator("#messages li[data-id] .text").allTextContents()).filter((t) => t.startsWith("typed while offline"));
  if (shown.join("|") !== "typed while offline 1|typed while offline 2") throw new Error("Alice sees " + JSON.stringify(shown));
  return { pending };
});
// A reload finds two messages in the outbox; the server refuses the first for good (its clientId is malformed).
// It is shown as not sent, with the server's reason and a way out; the one behind it is sent all the same.
const refusedOutbox = (more) => localStorage.setItem("hibiki.outbox", JSON.stringify([
  { clientId: "not a valid id!", room: "burst", message: "refused on purpose", createdAt: Date.now() },
  ...(more ? [{ clientId: "valid-after-refused", room: "burst", message: "sent after the refused one", createdAt: Date.now() }] : [])]));
await step("refused-message", async () => {
  await b.evaluate(refusedOutbox, true);
  await b.reload();
  await b.locator("#status.connected").waitFor();
  // Bob read the default room at the start and nobody has written there since: his read marker got through.
  await b.locator('#rooms li[data-room="general"]').waitFor();
  const badge = await b.locator('#rooms li[data-room="general"] .badge').count();
  if (badge) throw new Error("the default room shows unread messages Bob has read");
  const failed = b.locator("#messages li.failed", { hasText: "refused on purpose" });
  await failed.locator(".reason", { hasText: "clientId" }).waitFor();
  await sentText(b, "sent after the refused one").waitFor();
  await messageText(a, "sent after the refused one").waitFor();
  if (await messageText(a, "refused on purpose").count()) throw new Error("the refused message reached Alice");
  if (await sentText(b, "refused on purpose").count()) throw new Error("the refused message is shown as sent");
  const reason = await failed.locator(".reason").textContent();
  await failed.locator("button", { hasText: "Discard" }).click();
  await failed.waitFor({ state: "detached" });
  const left = await b.evaluate(() => localStorage.getItem("hibiki.outbox"));
  if (left) throw new Error("the outbox still holds " + left);
  return { reason };
});
// Optional: how the UI looks on a desktop and on a phone (for a person to look at; nothing is asserted).
if (arg("screenshot-wide") || arg("screenshot-mobile")) {
  await step("screenshots", async () => {
    // Every state a message can be in on one screen: sent, refused (with its buttons), pending, too long.
    await b.evaluate(refusedOutbox, false);
    await b.reload();
    await b.locator("#messages li.failed .reason").waitFor();
    await b.context().setOffline(true);
    await b.locator("#status.offline, #status.reconnecting").waitFor();
    await say(b, "this one waits for the connection");
    await b.fill("#text", "x".repeat(2100));
    if (arg("screenshot-wide")) {
      await b.setViewportSize({ width: 1280, height: 800 });
      await b.screenshot({ path: arg("screenshot-wide") });
    }
    if (arg("screenshot-mobile")) {
      await b.setViewportSize({ width: 390, height: 844 });
      await b.screenshot({ path: arg("screenshot-mobile") });
      await b.click("#nav-toggle");
      await b.locator("#rooms").waitFor();
      await b.screenshot({ path: arg("screenshot-mobile").replace(/\.png$/, "-rooms.png") });
    }
    await b.context().setOffline(false);
  });
}
await browser.close();
emit("done");
process.exit(0);
