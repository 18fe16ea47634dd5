// The one way the UI builds elements. Text goes in as text nodes or textContent, never as markup, so nothing a
// user typed can become an element or a script (the CSP forbids inline script as a second line of defence).

export const $ = (id) => document.getElementById(id);

const MARKUP = new Set(["innerHTML", "outerHTML", "insertAdjacentHTML", "srcdoc"]);

/** el("li", {class: "x", text: "…", data: {id: 3}, onclick: fn, ariaCurrent: "page"}, child, "more text") */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (MARKUP.has(key)) throw new Error("el() does not take markup: " + key);
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.className = value;
    else if (key === "data") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    // ARIA as attributes: property reflection (ariaCurrent, role) is missing from older browsers.
    else if (key === "role" || key.startsWith("aria")) node.setAttribute(key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()), value);
    else node[key] = value;
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/**
 * Runs fn at most once per frame however many changes ask for it. The timer is a fallback for pages whose frames
 * are throttled (a background tab still has to keep its model and badges current when it comes back).
 */
export function coalesce(fn) {
  let queued = false;
  const run = () => {
    if (!queued) return;
    queued = false;
    fn();
  };
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(run);
    setTimeout(run, 100);
  };
}
