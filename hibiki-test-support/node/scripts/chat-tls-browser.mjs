// The chat over HTTPS in headless Chromium (playwright-core, the system's browser). Chromium trusts the test's
// throwaway CA through --ignore-certificate-errors-spki-list (the CA's key hash): certificates that CA signed are
// accepted, any other certificate is still an error. Without the hash (--trust=false) the page must not load.
// Steps: launch, open (the page loads over https, is a secure context, and its socket connects over wss), message
// (a message is stored and shown). Arguments: --url (https://…), --chromium, --spki (base64 SHA-256 of the CA's
// key), --trust (true|false), --screenshot (optional PNG path).
import { chromium } from "playwright-core";
import { emit, arg, limitRuntime, stepRunner, launchChromium } from "./lib.mjs";

limitRuntime(Number(arg("limit", "90000")));
const url = arg("url");
const trust = arg("trust", "true") === "true";
const STEP_TIMEOUT = 15000;
let browser;

const step = stepRunner(() => browser && browser.close());

await step("launch", async () => {
  const extra = trust ? ["--ignore-certificate-errors-spki-list=" + arg("spki")] : [];
  browser = await launchChromium(chromium, arg("chromium", "/usr/bin/chromium"), extra);
  return { version: browser.version() };
});

const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
const page = await context.newPage();
page.setDefaultTimeout(STEP_TIMEOUT);
page.on("pageerror", (err) => emit("pageerror", { message: err.message }));
page.on("console", (msg) => { if (msg.type() === "error") emit("console-error", { text: msg.text() }); });
const sockets = [];
page.on("websocket", (ws) => sockets.push(ws.url()));

if (!trust) {
  await step("refused", async () => {
    try {
      await page.goto(url + "/");
    } catch (e) {
      return { error: e.message.split("\n")[0] };
    }
    throw new Error("the page loaded although its certificate is not trusted");
  });
} else {
  await step("open", async () => {
    const res = await page.goto(url + "/");
    await page.locator("#status.connected").waitFor();
    const secure = await page.evaluate(() => window.isSecureContext && location.protocol === "https:");
    if (!secure) throw new Error("not a secure context");
    // The socket may start on long-polling and upgrade: wait (bounded) for its WebSocket.
    const deadline = Date.now() + STEP_TIMEOUT;
    while (!sockets.some((u) => u.startsWith("wss://")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const wss = sockets.filter((u) => u.startsWith("wss://"));
    if (wss.length === 0) throw new Error("no wss:// connection, only " + JSON.stringify(sockets));
    return { hsts: res.headers()["strict-transport-security"] ?? null, sockets: wss };
  });
  await step("message", async () => {
    await page.fill("#nickname", "Tess");
    await page.click("#nick-form button");
    await page.fill("#text", "hello over TLS");
    await page.press("#text", "Enter");
    await page.locator("#messages li[data-id] .text").filter({ hasText: "hello over TLS" }).waitFor();
    const shot = arg("screenshot", "");
    if (shot) await page.screenshot({ path: shot });
  });
}
await browser.close();
emit("done");
