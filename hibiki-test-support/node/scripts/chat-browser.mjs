// End-to-end run of the chat's web UI in headless Chromium (playwright-core, the system's browser): two users in
// two browser contexts chat in one room. Each check that passes prints a "step" line {name, …}; the first one
// that does not prints failure {message} and ends the script. At the end: a screenshot of the second user's page
// (--screenshot) and a "done" line.
// Arguments: --url (the chat), --screenshot (PNG path), --chromium (executable), --latest (a text the default
// room's newest message has, which must be on screen after loading).
import { chromium } from "playwright-core";
import { io } from "socket.io-client";
import { deflateSync } from "node:zlib";
import { emit, arg, limitRuntime, fail } from "./lib.mjs";

limitRuntime(Number(arg("limit", "90000")));
const url = arg("url");
const STEP_TIMEOUT = 15000;

// ---- a small valid PNG, made here: a colour gradient ----
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const b of bytes) {
    let c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      rows[row + 1 + x * 3] = Math.round((255 * x) / width);
      rows[row + 2 + x * 3] = Math.round((255 * y) / height);
      rows[row + 3 + x * 3] = 180;
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

// ---- the run ----
let browser;
async function step(name, action) {
  const started = Date.now();
  try {
    const detail = await action();
    emit("step", { name, ms: Date.now() - started, ...(detail || {}) });
  } catch (e) {
    emit("failure", { message: `step "${name}": ${e && e.message ? e.message : e}` });
    if (browser) await browser.close().catch(() => {});
    process.exit(1);
  }
}

async function openUser(nickname, latest) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
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
  // The default room shows its newest messages on first load, however many it has.
  if (latest) await messageText(page, latest).first().waitFor();
  await page.fill("#nickname", nickname);
  await page.click("#nick-form button");
  await page.locator("#online li", { hasText: nickname + " (you)" }).waitFor();
  return page;
}

const messageText = (page, text) => page.locator("#messages li .text").filter({ hasText: text });

await step("launch", async () => {
  browser = await chromium.launch({
    executablePath: arg("chromium", "/usr/bin/chromium"),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return { version: browser.version() };
});
let a;
let b;
await step("open", async () => {
  a = await openUser("Alice", arg("latest", ""));
  b = await openUser("Bob", arg("latest", ""));
});
await step("join-room", async () => {
  for (const page of [a, b]) {
    await page.fill("#join-room", "e2e");
    await page.press("#join-room", "Enter");
    await page.locator("#room-title", { hasText: "# e2e" }).waitFor();
  }
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
  await a.locator("#messages li:not(.pending) .text", { hasText: "Hello Bob, this is Alice" }).waitFor();
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
    const bot = io(url, { transports: ["websocket"], forceNew: true, reconnection: false,
      auth: { nickname: "Bot " + i, userId: "bot-user-000" + i } });
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
  await b.locator("#messages li:not(.pending) .text", { hasText: "Bob after the burst" }).waitFor();
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
  await b.locator("#messages li:not(.pending) .text", { hasText: "just between us" }).waitFor();
  const entry = a.locator("#rooms li", { hasText: "@ Bob" });
  await entry.locator(".badge", { hasText: "1" }).waitFor();
  await entry.click();
  await a.locator("#room-title", { hasText: "@ Bob" }).waitFor();
  await messageText(a, "just between us").waitFor();
});
// Alice leaves the room from the UI: she is back in the default room, no longer a member of e2e (its entry is
// offered to join again) and Bob sees her go.
await step("leave-room", async () => {
  await a.locator("#rooms li", { hasText: "e2e" }).click();
  await a.locator("#room-title", { hasText: "# e2e" }).waitFor();
  await a.click("#leave");
  await a.locator("#room-title", { hasText: "# general" }).waitFor();
  await a.locator("#rooms li", { hasText: "+ e2e" }).waitFor();
  if (!(await a.locator("#leave").isHidden())) throw new Error("the default room offers to leave");
  const stored = await a.evaluate(() => JSON.parse(localStorage.getItem("hibiki.rooms") || "[]"));
  if (stored.includes("e2e")) throw new Error("e2e still remembered: " + JSON.stringify(stored));
  await b.locator("#rooms li", { hasText: "e2e" }).click();
  await b.locator("#online li", { hasText: "Alice" }).waitFor({ state: "detached" });
});
await browser.close();
emit("done");
process.exit(0);
