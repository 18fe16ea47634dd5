// Shared helpers for the interop scripts: JSON-line events on stdout, a hard time limit on every script.
export function emit(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
}

export function arg(name, fallback) {
  const prefix = `--${name}=`;
  const found = process.argv.find((a) => a.startsWith(prefix));
  return found === undefined ? fallback : found.slice(prefix.length);
}

// Every script ends by itself: a bounded run, never an orphan.
export function limitRuntime(ms) {
  const t = setTimeout(() => {
    emit("timeout", { ms });
    process.exit(3);
  }, ms);
  t.unref();
}

export function fail(message) {
  emit("failure", { message });
  process.exit(1);
}
