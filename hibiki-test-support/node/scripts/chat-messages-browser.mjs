// Writing and reading messages in the chat's web UI, in headless Chromium (playwright-core, the system's browser):
// one user on a laptop-sized page (1280×800), one on a phone-sized page (390×844). Lines with Shift+Enter, the
// small Markdown subset and links as the other user sees them (elements made from text, never markup), editing the
// last message with ↑ and any of one's own from its Edit button, deleting, reactions, uploads, reading aids, replies
// and threads, @mention suggestions, and the same by keyboard alone. Each check that passes prints a "step"
// line; the first that does not prints failure {message}. Arguments: --url, --chromium, --shots (PNG directory).
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { emit, arg, limitRuntime, stepRunner, launchChromium } from "./lib.mjs";
import { png } from "./png.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

limitRuntime(Number(arg("limit", "120000")));
const url = arg("url");
const shots = arg("shots", "");
const STEP_TIMEOUT = 15000;
let browser;
const step = stepRunner(() => browser && browser.close());

async function openUser(nickname, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on("pageerror", (err) => emit("pageerror", { user: nickname, message: err.message }));
  page.on("console", (msg) => {
    if (msg.type() === "error") emit("console-error", { user: nickname, text: msg.text() });
  });
  await page.goto(url + "/");
  await page.locator("#status.connected").waitFor();
  await page.fill("#nickname", nickname);
  await page.click("#nick-form button");
  // Attached, not visible: on a phone the list is in the closed drawer.
  await page.locator("#online li.me", { hasText: nickname + " (you)" }).waitFor({ state: "attached" });
  return page;
}

const stored = (page, text) => page.locator("#messages li[data-id]").filter({ hasText: text });
/** A stored message by its own text (not by a reply's quote of it). */
const said = (page, text) => page.locator("#messages li[data-id]").filter({ has: page.locator(".text", { hasText: text }) });

/** Presses Tab (Shift+Tab with back) until the focused element satisfies check, at most max times. */
async function tabTo(page, check, arg, { max = 60, back = false } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    if (await page.evaluate(check, arg)) return;
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  throw new Error(`not reached in ${max} ${back ? "Shift+Tab" : "Tab"} presses; focus is on ${at}`);
}

async function noSideways(page, width) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > width) throw new Error("the page is " + wide + " px wide at " + width);
}

let alice;
let bob;
await step("launch", async () => {
  browser = await launchChromium(chromium, arg("chromium", "/usr/bin/chromium"));
  alice = await openUser("Alice", { width: 1280, height: 800 });
  bob = await openUser("Bob", { width: 390, height: 844 });
  return { version: browser.version() };
});

await step("multiline", async () => {
  await alice.fill("#text", "first line");
  await alice.press("#text", "Shift+Enter");
  await alice.keyboard.type("second line");
  const value = await alice.inputValue("#text");
  if (value !== "first line\nsecond line") throw new Error("Shift+Enter did not add a line: " + JSON.stringify(value));
  await alice.press("#text", "Enter");
  const line = stored(bob, "second line");
  await line.waitFor();
  if ((await line.locator(".text br").count()) !== 1) throw new Error("the two lines are not two lines");
  if ((await alice.inputValue("#text")) !== "") throw new Error("the composer kept the sent text");
});

await step("formatting", async () => {
  await alice.fill("#text", "**bold** _it_ ~~gone~~ `x<y` see https://example.com/a?b=1. "
    + "not javascript:alert(1) nor <b>tags</b> nor snake_case_name");
  await alice.press("#text", "Enter");
  const m = stored(bob, "snake_case_name");
  await m.waitFor();
  const checks = {
    strong: await m.locator(".text strong").textContent(),
    em: await m.locator(".text em").textContent(),
    s: await m.locator(".text s").textContent(),
    code: await m.locator(".text code").textContent(),
    href: await m.locator(".text a").getAttribute("href"),
    rel: await m.locator(".text a").getAttribute("rel"),
    linkText: await m.locator(".text a").textContent(),
    anchors: await m.locator(".text a").count(),
    bTags: await m.locator(".text b").count(),
  };
  const text = await m.locator(".text").textContent();
  const expected = { strong: "bold", em: "it", s: "gone", code: "x<y", href: "https://example.com/a?b=1",
    rel: "noopener noreferrer", linkText: "https://example.com/a?b=1", anchors: 1, bTags: 0 };
  for (const [k, v] of Object.entries(expected)) {
    if (checks[k] !== v) throw new Error(`${k}: ${JSON.stringify(checks[k])}, expected ${JSON.stringify(v)}`);
  }
  if (!text.includes("<b>tags</b>") || !text.includes("snake_case_name") || !text.includes("javascript:alert(1)")) {
    throw new Error("text lost: " + text);
  }
  return checks;
});

await step("quote-and-code", async () => {
  await alice.fill("#text", "> quoted words\nafter the quote\n```\nlet x = 1;\n  indented();\n```");
  await alice.press("#text", "Enter");
  const m = stored(bob, "after the quote");
  await m.waitFor();
  const quote = await m.locator(".text blockquote").textContent();
  const code = await m.locator(".text pre code").textContent();
  if (quote !== "quoted words") throw new Error("quote: " + quote);
  if (code !== "let x = 1;\n  indented();") throw new Error("code: " + JSON.stringify(code));
  await bob.locator("#messages").evaluate((el) => { el.scrollTop = el.scrollHeight; });
  if (shots) await bob.screenshot({ path: `${shots}/messages-formatting-mobile.png` });
  if (shots) await alice.screenshot({ path: `${shots}/messages-formatting-wide.png` });
  const wide = await bob.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) throw new Error("the page is " + wide + " px wide at 390");
});

await step("edit-last", async () => {
  await alice.focus("#text");
  await alice.press("#text", "ArrowUp");
  const value = await alice.inputValue("#text");
  if (!value.startsWith("> quoted words")) throw new Error("↑ did not bring the last message: " + value);
  await alice.locator("#edit-hint").waitFor();
  await alice.fill("#text", "a corrected message");
  await alice.press("#text", "Enter");
  const m = stored(bob, "a corrected message");
  await m.locator(".edited").waitFor();
  if ((await stored(bob, "after the quote").count()) !== 0) throw new Error("the old text is still shown");
  if (!(await alice.locator("#edit-hint").isHidden())) throw new Error("still editing after saving");
  // Escape leaves a message as it was.
  await alice.press("#text", "ArrowUp");
  await alice.press("#text", "Escape");
  if ((await alice.inputValue("#text")) !== "") throw new Error("Escape kept the text");
});

await step("edit-button-and-delete", async () => {
  const own = stored(alice, "second line");
  await own.hover();
  await own.getByRole("button", { name: "Edit message" }).click();
  await alice.fill("#text", "first line, edited");
  await alice.press("#text", "Enter");
  await stored(bob, "first line, edited").locator(".edited").waitFor();
  // Another's message has no Edit and, for a guest, no Delete.
  const theirs = await stored(bob, "first line, edited").getByRole("button", { name: /Edit message|Delete message/ })
    .count();
  if (theirs !== 0) throw new Error("buttons on someone else's message: " + theirs);
  const mine = stored(alice, "a corrected message");
  await mine.hover();
  await mine.getByRole("button", { name: "Delete message" }).click();
  // A second step: nothing is deleted until it is confirmed.
  await mine.getByRole("button", { name: "Confirm: delete this message for everyone" }).waitFor();
  if ((await stored(bob, "a corrected message").count()) !== 1) throw new Error("deleted before the confirmation");
  await mine.getByRole("button", { name: "Confirm: delete this message for everyone" }).click();
  await stored(bob, "(deleted)").waitFor();
  if (shots) await alice.screenshot({ path: `${shots}/messages-edited-wide.png` });
});

await step("reactions", async () => {
  // On the phone: react from the message's button; the other user sees the count and who, and adds theirs.
  const theirs = stored(bob, "first line, edited");
  await theirs.getByRole("button", { name: "Add a reaction" }).click();
  await bob.locator("#reaction-picker").getByRole("button", { name: "React 🎉" }).click();
  const onAlice = stored(alice, "first line, edited").locator("button.reaction", { hasText: "🎉 1" });
  await onAlice.waitFor();
  if ((await onAlice.getAttribute("title")) !== "Bob") throw new Error("who reacted: " + (await onAlice.getAttribute("title")));
  await onAlice.click();
  await stored(bob, "first line, edited").locator('button.reaction[aria-pressed="true"]', { hasText: "🎉 2" }).waitFor();
  await stored(alice, "first line, edited").locator('button.reaction[aria-pressed="true"]', { hasText: "🎉 2" }).waitFor();
  // Taken back: one left, and it is not Bob's.
  await stored(bob, "first line, edited").locator("button.reaction").click();
  await stored(alice, "first line, edited").locator('button.reaction[aria-pressed="true"]', { hasText: "🎉 1" }).waitFor();
  if (shots) await bob.screenshot({ path: `${shots}/messages-reactions-mobile.png` });
});

/** Drops (or pastes) a file made in the page from these bytes, as a person dragging it from their desktop would. */
async function dropFile(page, target, name, type, bytes, how) {
  await page.evaluate(({ target, name, type, data, how }) => {
    const file = new File([new Uint8Array(data)], name, { type });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const el = document.querySelector(target);
    if (how === "paste") {
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
    } else {
      el.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, { target, name, type, data: [...bytes], how });
}

await step("uploads", async () => {
  await alice.locator('#rooms li[data-room="general"]').click();
  // Dropped on the conversation: sent with the text typed, shown with its name; opens full size, Escape closes.
  await alice.fill("#text", "a dropped picture");
  await dropFile(alice, "#messages", "dropped-gradient.png", "image/png", png(120, 80), "drop");
  const dropped = stored(bob, "a dropped picture");
  await dropped.locator("figcaption", { hasText: "dropped-gradient.png" }).waitFor();
  await dropped.getByRole("button", { name: "View dropped-gradient.png full size" }).click();
  await bob.locator("#image-viewer[open] figcaption", { hasText: "dropped-gradient.png" }).waitFor();
  if (shots) await bob.screenshot({ path: `${shots}/messages-image-viewer-mobile.png` });
  await bob.keyboard.press("Escape");
  await bob.locator("#image-viewer").waitFor({ state: "hidden" });
  // Pasted into the composer.
  await dropFile(alice, "#text", "pasted.png", "image/png", png(40, 40), "paste");
  await stored(bob, "").locator("figcaption", { hasText: "pasted.png" }).waitFor();
  // Over the limit: said at once, in MB, and nothing is sent.
  const limit = await alice.evaluate(() => 10 * 1024 * 1024);
  await alice.evaluate((size) => {
    const file = new File([new Uint8Array(size)], "huge.png", { type: "image/png" });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    document.querySelector("#messages").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true,
      cancelable: true }));
  }, limit + 1024 * 1024);
  await alice.locator("#error", { hasText: "huge.png is 11 MB; files are at most 10 MB." }).waitFor();
  // A slow upload can be cancelled: nothing is sent, the bar goes.
  const cdp = await alice.context().newCDPSession(alice);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1,
    uploadThroughput: 50 * 1024 });
  await alice.fill("#text", "this upload is cancelled");
  await dropFile(alice, "#messages", "slow.png", "image/png", png(600, 600), "drop");
  await alice.locator("#cancel-upload").waitFor();
  await alice.click("#cancel-upload");
  await alice.locator("#progress").waitFor({ state: "hidden" });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1,
    uploadThroughput: -1 });
  if ((await alice.inputValue("#text")) !== "this upload is cancelled") throw new Error("the text was lost");
  await alice.press("#text", "Enter");
  await stored(bob, "this upload is cancelled").waitFor();
  if ((await stored(bob, "this upload is cancelled").locator("img").count()) !== 0) throw new Error("sent anyway");
});

await step("reading", async () => {
  // The day is marked; a new room says what to do; joins are quiet lines; the tab counts what waits elsewhere.
  await alice.locator("#messages li.day", { hasText: "Today" }).waitFor();
  await bob.click("#nav-toggle");
  await bob.fill("#join-room", "side");
  await bob.press("#join-room", "Enter");
  await bob.locator("#room-title", { hasText: "# side" }).waitFor();
  await bob.locator("#messages li.empty-room").waitFor();
  await alice.fill("#join-room", "side");
  await alice.press("#join-room", "Enter");
  await bob.locator("#messages li.notice", { hasText: "Alice joined" }).waitFor();
  await alice.locator('#rooms li[data-room="general"]').click();
  await bob.fill("#text", "are you there?");
  await bob.press("#text", "Enter");
  await alice.waitForFunction(() => document.title.startsWith("(1) "));
  await alice.locator('#rooms li[data-room="side"]').click();
  await alice.waitForFunction(() => !document.title.startsWith("("));
  if ((await bob.locator("#messages li.empty-room").count()) !== 0) throw new Error("the empty note stayed");
  return { title: await alice.title() };
});

await step("new-messages-and-jump", async () => {
  // Three messages arrive while alice is elsewhere: opening the room, a line marks where they begin.
  await alice.locator('#rooms li[data-room="side"]').click();
  await alice.locator("#room-title", { hasText: "# side" }).waitFor();
  await bob.locator('#rooms li[data-room="general"]').click();
  for (const text of ["unseen one", "unseen two", "unseen three"]) {
    await bob.fill("#text", text);
    await bob.press("#text", "Enter");
    await stored(bob, text).waitFor();
  }
  await alice.locator('#rooms li[data-room="general"] .badge', { hasText: "3" }).waitFor();
  await alice.locator('#rooms li[data-room="general"]').click();
  await stored(alice, "unseen three").waitFor();
  const next = await alice.locator("#messages li.new-line + li").textContent();
  if (!next.includes("unseen one")) throw new Error("the line is before: " + next);
  // Scrolled up, a button brings the newest back.
  await alice.locator("#messages").evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event("scroll")); });
  await alice.locator("#jump-latest").waitFor();
  await alice.click("#jump-latest");
  await alice.locator("#jump-latest").waitFor({ state: "hidden" });
  const atBottom = await alice.locator("#messages").evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 40);
  if (!atBottom) throw new Error("not at the newest after Jump to latest");
});

await step("replies", async () => {
  // On the laptop: Reply on one of Bob's messages; the phone shows the answer with its quote.
  const parent = said(alice, "unseen three");
  await parent.hover();
  await parent.getByRole("button", { name: "Reply to Bob" }).click();
  await alice.locator("#reply-hint", { hasText: "unseen three" }).waitFor();
  if (!(await alice.evaluate(() => document.activeElement.id === "text"))) throw new Error("the composer lost the focus");
  await alice.keyboard.type("yes, here");
  await alice.press("#text", "Enter");
  const reply = said(bob, "yes, here");
  await reply.locator(".quote", { hasText: "unseen three" }).waitFor();
  const author = await reply.locator(".quote .quote-author").textContent();
  if (author !== "Bob") throw new Error("the quote names " + author);
  await alice.locator("#reply-hint").waitFor({ state: "hidden" });
  await said(bob, "unseen three").locator("button.replies", { hasText: "1 reply" }).waitFor();
  // Escape drops a reply before it is sent.
  await parent.hover();
  await parent.getByRole("button", { name: "Reply to Bob" }).click();
  await alice.locator("#reply-hint").waitFor();
  await alice.press("#text", "Escape");
  await alice.locator("#reply-hint").waitFor({ state: "hidden" });
  // On the phone: the parent is edited; the laptop's quote follows.
  await said(bob, "unseen three").getByRole("button", { name: "Edit message" }).click();
  await bob.fill("#text", "unseen three, edited");
  await bob.press("#text", "Enter");
  await said(alice, "yes, here").locator(".quote", { hasText: "unseen three, edited" }).waitFor();
  await bob.locator("#messages").evaluate((el) => { el.scrollTop = el.scrollHeight; });
  if (shots) await alice.screenshot({ path: `${shots}/messages-replies-wide.png` });
  if (shots) await bob.screenshot({ path: `${shots}/messages-replies-mobile.png` });
  await noSideways(bob, 390);
});

await step("threads", async () => {
  // On the phone: "1 reply" opens the thread, which fits the screen; a reply written in it shows in it.
  await said(bob, "unseen three").locator("button.replies").click();
  const sheet = bob.locator("#thread-dialog[open]");
  await sheet.locator("#thread-parent", { hasText: "unseen three, edited" }).waitFor();
  await sheet.locator("#thread-replies li", { hasText: "yes, here" }).waitFor();
  const box = await sheet.boundingBox();
  if (box.x < 0 || box.x + box.width > 390) throw new Error("the thread is off screen: " + JSON.stringify(box));
  await bob.fill("#thread-text", "answered in the thread");
  await bob.press("#thread-text", "Enter");
  await sheet.locator("#thread-replies li", { hasText: "answered in the thread" }).waitFor();
  await sheet.locator("#thread-count", { hasText: "2 replies" }).waitFor();
  if (shots) await bob.screenshot({ path: `${shots}/messages-thread-mobile.png` });
  await bob.keyboard.press("Escape");
  await bob.locator("#thread-dialog").waitFor({ state: "hidden" });
  // On the laptop: the answer is in the conversation with its quote, which opens the same thread.
  await said(alice, "answered in the thread").locator(".quote", { hasText: "unseen three, edited" }).click();
  const open = alice.locator("#thread-dialog[open]");
  await open.locator("#thread-count", { hasText: "2 replies" }).waitFor();
  // A reply sent meanwhile from the phone's composer arrives in the open thread.
  await said(bob, "unseen three").getByRole("button", { name: "Reply to Bob" }).click();
  await bob.keyboard.type("and from the composer");
  await bob.press("#text", "Enter");
  await open.locator("#thread-replies li", { hasText: "and from the composer" }).waitFor();
  await open.locator("#thread-count", { hasText: "3 replies" }).waitFor();
  if (shots) await alice.screenshot({ path: `${shots}/messages-thread-wide.png` });
  await alice.keyboard.press("Escape");
  await alice.locator("#thread-dialog").waitFor({ state: "hidden" });
  await said(alice, "unseen three").locator("button.replies", { hasText: "3 replies" }).waitFor();
});

await step("mention-autocomplete", async () => {
  // On the laptop, by keyboard: "@car" offers both accounts; ↓ and Enter take the second, and nothing is sent.
  await alice.focus("#text");
  await alice.keyboard.type("ping @car");
  const list = alice.locator("#mention-list");
  await list.locator("[role=option]", { hasText: "@caroline" }).waitFor();
  const offered = await list.locator("[role=option] .handle").allTextContents();
  if (offered.join() !== "@carol,@caroline") throw new Error("offered " + offered);
  await alice.keyboard.press("ArrowDown");
  const chosen = list.locator('[role=option][aria-selected="true"]');
  await chosen.filter({ hasText: "@caroline" }).waitFor();
  if ((await alice.getAttribute("#text", "aria-activedescendant")) !== (await chosen.getAttribute("id"))) {
    throw new Error("the input does not point at the chosen option");
  }
  await alice.keyboard.press("Enter");
  await list.waitFor({ state: "hidden" });
  if ((await alice.inputValue("#text")) !== "ping @caroline ") throw new Error("inserted: " + (await alice.inputValue("#text")));
  await alice.keyboard.type("and you");
  await alice.keyboard.press("Enter");
  await said(bob, "ping @caroline and you").locator(".mention", { hasText: "@caroline" }).waitFor();
  // On the phone: Escape closes the list and keeps the text; a tap on a suggestion takes it.
  await bob.focus("#text");
  await bob.keyboard.type("@CARO");
  const phoneList = bob.locator("#mention-list");
  await phoneList.locator("[role=option]").first().waitFor();
  if (shots) await bob.screenshot({ path: `${shots}/messages-mention-mobile.png` });
  await noSideways(bob, 390);
  await bob.keyboard.press("Escape");
  await phoneList.waitFor({ state: "hidden" });
  if ((await bob.inputValue("#text")) !== "@CARO") throw new Error("Escape changed the text");
  await bob.keyboard.type("L");
  await phoneList.locator("[role=option]", { hasText: "@carol" }).first().click();
  if ((await bob.inputValue("#text")) !== "@carol ") throw new Error("tapped: " + (await bob.inputValue("#text")));
  await bob.keyboard.type("hello");
  await bob.keyboard.press("Enter");
  await said(alice, "@carol hello").locator(".mention", { hasText: "@carol" }).waitFor();
});

await step("keyboard", async () => {
  // Tab alone: from the search box to a room in the list, then to a message's Reply (shown while focused), the
  // composer, and back to the message's reaction button and the picker, which returns the focus when done.
  await alice.focus("#search-query");
  await tabTo(alice, () => !!document.activeElement?.closest('#rooms li[data-room="side"]'), null, { max: 20 });
  await alice.keyboard.press("Enter");
  await alice.locator("#room-title", { hasText: "# side" }).waitFor();
  await tabTo(alice, () => document.activeElement?.getAttribute("aria-label") === "Reply to Bob", null);
  const opacity = await alice.evaluate(() => getComputedStyle(document.activeElement).opacity);
  if (opacity !== "1") throw new Error("the focused Reply is not visible: opacity " + opacity);
  await alice.keyboard.press("Enter");
  await alice.locator("#reply-hint", { hasText: "are you there?" }).waitFor();
  await alice.keyboard.type("typed without a mouse");
  await alice.keyboard.press("Enter");
  const mine = said(alice, "typed without a mouse");
  await mine.locator(".quote", { hasText: "are you there?" }).waitFor();
  await tabTo(alice, (id) => document.activeElement?.getAttribute("aria-label") === "Add a reaction"
    && document.activeElement.closest("li")?.dataset.id === id, await mine.getAttribute("data-id"),
  { max: 10, back: true });
  await alice.keyboard.press("Enter");
  await alice.locator("#reaction-picker button:focus").waitFor();
  await alice.keyboard.press("Enter");
  await mine.locator("button.reaction", { hasText: "1" }).waitFor();
  await alice.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Add a reaction");
  if (shots) await alice.screenshot({ path: `${shots}/messages-keyboard-wide.png` });
});

await step("accessibility", async () => {
  // axe-core on the main page with messages in it, at both widths. The page's CSP (rightly) forbids injected
  // scripts, so this context alone bypasses it to load the checker.
  const found = {};
  for (const [name, viewport, colorScheme] of [["wide", { width: 1280, height: 800 }, "light"],
    ["mobile", { width: 390, height: 844 }, "light"], ["dark", { width: 1280, height: 800 }, "dark"],
    ["dark-mobile", { width: 390, height: 844 }, "dark"]]) {
    const context = await browser.newContext({ viewport, bypassCSP: true, colorScheme });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    await page.goto(url + "/");
    await page.locator("#status.connected").waitFor();
    await page.locator("#messages li[data-id]").first().waitFor();
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
    if (!colorScheme.startsWith("dark") && (await page.locator("#messages button.replies").count())) {
      // And with a thread open over the conversation.
      await page.locator("#messages button.replies").first().click();
      await page.locator("#thread-dialog[open] #thread-replies li").first().waitFor();
      const thread = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
      result.violations.push(...thread.violations);
      await page.keyboard.press("Escape");
    }
    const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    found[name] = result.violations.map((v) => v.id + ":" + v.impact);
    if (serious.length) {
      throw new Error(name + ": " + JSON.stringify(serious.map((v) => ({ id: v.id, impact: v.impact,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").split("\n")[1]) }))));
    }
    if (colorScheme === "dark") {
      // Dark when the system is: the page's own background, not just the browser's default.
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      if (r + g + b > 150) throw new Error("not dark: body background " + bg);
      if (shots) await page.screenshot({ path: `${shots}/messages-${name}.png` });
    }
    await context.close();
  }
  return found;
});

await browser.close();
emit("done");
