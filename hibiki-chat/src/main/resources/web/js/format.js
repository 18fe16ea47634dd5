// Message text as people write it in chats: lines, ``` code blocks ```, > quotes, **bold**, *italic* or _italic_,
// ~~strike~~, `code`, and links. Built from elements and text nodes only (never markup from the message), and a
// link is made only for http:, https: and mailto: addresses, opening apart from this page.

import { el } from "./dom.js";

const LINK = /(?:https?:\/\/|mailto:)[^\s<>"'`]+/gi;
const INLINE = [
  { open: "`", close: "`", tag: "code", raw: true },
  { open: "**", close: "**", tag: "strong" },
  { open: "~~", close: "~~", tag: "s" },
  { open: "*", close: "*", tag: "em" },
  { open: "_", close: "_", tag: "em" },
];

/** A safe link target, or null: only these schemes, and only what the URL parser accepts. */
export function safeHref(text) {
  // Punctuation that ends a sentence is not part of the address.
  const trimmed = text.replace(/[.,;:!?)\]]+$/, "");
  try {
    const url = new URL(trimmed);
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? { href: url.href, text: trimmed } : null;
  } catch {
    return null;
  }
}

const MENTION = /(^|[^\p{L}\p{N}_.@-])(@[\p{L}\p{N}][\p{L}\p{M}\p{N}_.-]*)/gu;
/** This user's handle, lower case: mentions of it are marked as theirs. */
let me = "";

export function setOwnHandle(handle) {
  me = (handle || "").normalize("NFKC").toLowerCase();
}

/** @handles as marked spans (this user's own stand out); the rest stays text. */
function withMentions(text) {
  const out = [];
  let at = 0;
  for (const m of text.matchAll(MENTION)) {
    const start = m.index + m[1].length;
    if (start > at) out.push(text.slice(at, start));
    const handle = m[2].replace(/[.]+$/, "");
    const own = me && handle.slice(1).normalize("NFKC").toLowerCase() === me;
    out.push(el("span", { class: own ? "mention me" : "mention", text: handle }));
    at = start + handle.length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function links(text) {
  const out = [];
  let at = 0;
  for (const m of text.matchAll(LINK)) {
    const link = safeHref(m[0]);
    if (!link) continue;
    if (m.index > at) out.push(...withMentions(text.slice(at, m.index)));
    out.push(el("a", { href: link.href, rel: "noopener noreferrer", target: "_blank", text: link.text }));
    at = m.index + link.text.length;
  }
  if (at < text.length) out.push(...withMentions(text.slice(at)));
  return out;
}

/** Inline formatting of one line: the earliest marker that has its closing partner wins; the rest is text. */
export function inline(text, depth = 0) {
  if (depth > 4) return links(text);
  let best = null;
  for (const mark of INLINE) {
    let from = 0;
    while (from < text.length) {
      const start = text.indexOf(mark.open, from);
      if (start < 0) break;
      // Inside a word (snake_case, 2*3) a marker is just a character.
      const before = text[start - 1];
      if (!mark.raw && before && /[\p{L}\p{N}]/u.test(before)) {
        from = start + mark.open.length;
        continue;
      }
      const end = text.indexOf(mark.close, start + mark.open.length);
      // Markers must hug their words: "2 * 3 * 4" is arithmetic, not emphasis.
      const inner = end < 0 ? "" : text.slice(start + mark.open.length, end);
      if (end > start + mark.open.length && inner.trim() === inner) {
        if (!best || start < best.start) best = { mark, start, end, inner };
        break;
      }
      from = start + mark.open.length;
    }
  }
  if (!best) return links(text);
  const { mark, start, end, inner } = best;
  const content = mark.raw ? [inner] : inline(inner, depth + 1);
  return [...links(text.slice(0, start)), el(mark.tag, {}, ...content),
    ...inline(text.slice(end + mark.close.length), depth)];
}

/** The message text as block elements: code blocks, quotes, and lines with their breaks. */
export function formatMessage(text) {
  const nodes = [];
  const parts = text.split("```");
  parts.forEach((part, i) => {
    // Odd parts are inside a fence (an unclosed fence at the end stays text).
    if (i % 2 === 1 && i < parts.length - 1) {
      nodes.push(el("pre", {}, el("code", { text: part.replace(/^[a-z0-9+-]*\n/i, "").replace(/\n$/, "") })));
      return;
    }
    const chunk = i % 2 === 1 ? "```" + part : part;
    let quote = null;
    let lines = [];
    const flush = () => {
      if (lines.length) nodes.push(el("span", { class: "lines" }, ...lines));
      lines = [];
    };
    for (const line of chunk.split("\n")) {
      if (line.startsWith(">")) {
        flush();
        if (!quote) {
          quote = el("blockquote");
          nodes.push(quote);
        } else {
          quote.append(el("br"));
        }
        quote.append(...inline(line.replace(/^>\s?/, "")));
        continue;
      }
      quote = null;
      if (lines.length) lines.push(el("br"));
      lines.push(...inline(line));
    }
    flush();
  });
  return nodes;
}
