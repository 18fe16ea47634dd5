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

// A runner of named steps: each that passes prints a "step" line {name, ms, ...what it returned}; the first that
// throws prints failure {message}, runs cleanUp (closing a browser, say) and ends the script.
export function stepRunner(cleanUp) {
  return async function step(name, action) {
    const started = Date.now();
    try {
      const detail = await action();
      emit("step", { name, ms: Date.now() - started, ...(detail || {}) });
    } catch (e) {
      emit("failure", { message: `step "${name}": ${e && e.message ? e.message : e}` });
      await Promise.resolve(cleanUp()).catch(() => {});
      process.exit(1);
    }
  };
}

/**
 * Starts the system's Chromium headless through playwright-core (passed in, so scripts without a browser do not
 * load it), with nothing that reaches the network on its own; extraArgs are added to the usual flags.
 */
export function launchChromium(chromium, executablePath, extraArgs = []) {
  return chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", ...extraArgs],
  });
}
