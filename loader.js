// Loads the widget's wasm. External (not inline) so the CSP needs no 'unsafe-inline':
// Trunk writes the hashed file names into two <meta> tags (see Trunk.toml).
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;

async function start() {
  const js = meta("backwatch-js");
  const wasm = meta("backwatch-wasm");
  if (!js || !wasm) throw new Error("index.html lacks the backwatch-js/backwatch-wasm meta tags");
  const base = document.baseURI;
  const { default: init } = await import(new URL(js, base).href);
  await init({ module_or_path: new URL(wasm, base) });
}

start().catch((err) => {
  const app = document.getElementById("app");
  if (app) {
    app.className = "card load-error";
    app.setAttribute("role", "alert");
    app.textContent = `backwatch could not start: ${err && err.message ? err.message : err}`;
  }
  console.error("backwatch failed to start", err);
});
