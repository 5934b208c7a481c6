// Opens every page of a site in the editor of `wemi serve` and compares, on the wire, what the
// form sends back with nothing touched (the first `api/check` request) with what the server
// gave it (`api/page`): values and body must be the same, or a save without changes would
// change the file. Prints the pages whose values or body differ, with both, as JSON.
// Usage: node edit-roundtrip.mjs SERVE_URL CONTENT_DIR
import { chromium } from "playwright-core";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { chromiumArgs } from "./site-pages.mjs";

const [base, contentDir] = process.argv.slice(2);
const WAIT = { timeout: 20000 };

/// Every .md file under `dir`, relative to `contentDir` with `/`.
function pages(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pages(path);
    return name.endsWith(".md") ? [relative(contentDir, path).split("\\").join("/")] : [];
  });
}

/// `value` as JSON with the keys of every object sorted: equal values, equal texts.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
const out = { pages: 0, differ: [], scriptErrors: [] };
try {
  const page = await browser.newPage({ locale: "it-IT" });
  page.on("pageerror", (e) => out.scriptErrors.push(e.message));
  for (const path of pages(contentDir)) {
    const given = page.waitForResponse((r) => r.url().includes("/api/page?"), WAIT);
    const sent = page.waitForRequest((r) => r.url().endsWith("/api/check"), WAIT);
    await page.goto(`${base}/__wemi/edit/?page=${encodeURIComponent(path)}`);
    const form = await (await given).json();
    const back = (await sent).postDataJSON();
    out.pages++;
    if (canonical(back.values) !== canonical(form.values) || back.body !== form.body) {
      out.differ.push({ page: path, given: form.values, sent: back.values, sameBody: back.body === form.body });
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
