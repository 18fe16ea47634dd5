// The Socket.IO admin UI (@socket.io/admin-ui 0.5.1's own page, served by a Hibiki server from its jar) in headless
// Chromium (playwright-core, the system's browser), signed in to a cluster of Hibiki and Node servers.
// Steps: launch; open (the page and everything it loads come from the server itself); sign-in; icons (the icon font
// is served too); servers (every --servers id is listed HEALTHY); sockets (every --ids socket is listed); rooms
// (room1 has them all); join (from each --join socket's page, "from-ui" joined; the rooms page then counts them);
// disconnect (the --disconnect socket's disconnect button); phone (the servers page at 390 px); offhost (no request
// left the server). The UI has no emit form (its 0.5.1 "emit" does nothing): emits are tested at the protocol level.
// Arguments: --url (http://127.0.0.1:PORT), --password, --servers, --ids, --join, --disconnect (comma-separated),
// --shots (a folder for screenshots), --chromium.
import { chromium } from "playwright-core";
import { emit, arg, limitRuntime, stepRunner, launchChromium } from "./lib.mjs";

limitRuntime(Number(arg("limit", "120000")));
const url = arg("url");
const list = (name) => arg(name, "").split(",").filter(Boolean);
const shots = arg("shots");
let browser;
const step = stepRunner(() => browser && browser.close());

await step("launch", async () => {
  browser = await launchChromium(chromium, arg("chromium", "/usr/bin/chromium"));
  return { version: browser.version() };
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
page.setDefaultTimeout(15000);
page.on("pageerror", (err) => emit("pageerror", { message: err.message }));
const offHost = [];
page.on("request", (r) => {
  if (!r.url().startsWith(url + "/") && !r.url().startsWith(url.replace("http", "ws") + "/")) offHost.push(r.url());
});

/** A socket's details page (through the list, so the page is made anew for each socket). */
async function socketPage(id) {
  await page.goto(url + "/admin-ui/#/sockets");
  await page.getByText(id, { exact: true }).waitFor();
  await page.goto(url + "/admin-ui/#/n/%2F/sockets/" + id);
  await page.locator("tr", { hasText: id }).first().waitFor();
}

/** The table row holding `text`, once it also holds every one of `also`. */
async function row(text, ...also) {
  const r = page.locator("tr", { hasText: text }).first();
  await r.waitFor();
  for (const a of also) await page.locator("tr", { hasText: text }).filter({ hasText: a }).first().waitFor();
  return (await r.innerText()).replace(/\s+/g, " ").trim();
}

await step("open", async () => {
  await page.goto(url + "/admin-ui/");
  await page.getByText("Connection", { exact: true }).waitFor();
  return { title: await page.title() };
});

await step("sign-in", async () => {
  await page.getByLabel("Server URL").fill(url);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(arg("password"));
  await page.getByRole("button", { name: "Connect" }).click();
  await page.getByText(/^connected$/i).first().waitFor();
  await page.screenshot({ path: shots + "/admin-dashboard-1280.png" });
});

await step("icons", async () => {
  const statuses = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.family.includes("Material Design Icons")).map((f) => f.status);
  });
  if (!statuses.includes("loaded")) throw new Error("the icon font did not load: " + JSON.stringify(statuses));
  return { statuses };
});

await step("servers", async () => {
  await page.goto(url + "/admin-ui/#/servers");
  const rows = [];
  for (const id of list("servers")) rows.push(await row(id, "HEALTHY"));
  await page.screenshot({ path: shots + "/admin-servers-1280.png" });
  return { rows };
});

await step("sockets", async () => {
  await page.goto(url + "/admin-ui/#/sockets");
  for (const id of list("ids")) await page.getByText(id, { exact: true }).waitFor();
  return { count: list("ids").length };
});

await step("rooms", async () => {
  await page.goto(url + "/admin-ui/#/rooms");
  return { room1: await row("room1", String(list("ids").length)) };
});

await step("join", async () => {
  for (const id of list("join")) {
    await socketPage(id);
    await page.getByLabel("Join a room").fill("from-ui");
    await page.screenshot({ path: shots + "/admin-join-1280.png" });
    await page.locator("form").filter({ has: page.getByLabel("Join a room") }).locator("button").click();
    await page.locator("tr", { hasText: "from-ui" }).first().waitFor();
  }
  await page.goto(url + "/admin-ui/#/rooms");
  const fromUi = await row("from-ui", String(list("join").length));
  await page.screenshot({ path: shots + "/admin-rooms-1280.png" });
  return { fromUi };
});

await step("disconnect", async () => {
  for (const id of list("disconnect")) {
    await socketPage(id);
    // The socket's own status row (the last "Status" row with a button; the first is the client's).
    const status = page.locator("tr", { hasText: "Status" }).filter({ has: page.locator("button") });
    await status.last().locator("button").first().click();
    // Once it is gone its status rows lose their buttons and say so.
    await page.locator("tr", { hasText: "Status" }).filter({ hasText: /disconnected/i }).first().waitFor();
    await page.screenshot({ path: shots + "/admin-disconnected-1280.png" });
  }
  return { disconnected: list("disconnect") };
});

await step("phone", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url + "/admin-ui/#/servers");
  await row(list("servers")[0], "HEALTHY");
  await page.screenshot({ path: shots + "/admin-servers-390.png" });
});

await step("offhost", async () => {
  if (offHost.length) throw new Error("requests left the server: " + offHost.join(", "));
});
await browser.close();
