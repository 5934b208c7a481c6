// Screenshots of the page editor of `wemi serve` for the editors' guide (docs/img/editor-*.png):
// the editor's first screen, an error beside a field, the opening hours, the outcome of saving,
// the image upload and the "Nuova pagina" form, in Italian, light mode, 1280 px wide.
// The script SAVES the page (municipio set to 5): run it on a copy of a site, such as the
// `edit` test fixture:
//   cp -r tests/fixtures/edit /tmp/s && cp -r tests/fixtures/_theme /tmp/s/themes/test
//   wemi serve --root /tmp/s --port 1111 &
//   node tests/browser/edit-screenshots.mjs docs/img http://127.0.0.1:1111 spazi/via-piazzetta.md spazi
// The page needs a `municipio` field (a number from 1 to 9) and opening hours.
import { chromium } from "playwright-core";
import { join } from "node:path";
import { chromiumArgs } from "./site-pages.mjs";

const [outDir, base, pagePath, section] = process.argv.slice(2);
if (!section) {
  console.error("usage: node edit-screenshots.mjs OUT_DIR SERVE_URL PAGE SECTION");
  process.exit(2);
}
const WAIT = { timeout: 20000 };
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });

/// Saves a screenshot of the area covering `selectors` (their union), with a margin.
async function shot(page, name, ...selectors) {
  const boxes = [];
  for (const selector of selectors) boxes.push(await page.locator(selector).first().boundingBox());
  const margin = 8;
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + margin;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + margin;
  const file = join(outDir, `editor-${name}.png`);
  await page.screenshot({ path: file, clip: { x, y, width: right - x, height: bottom - y }, fullPage: true });
  console.log(`screenshot: ${file}`);
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, locale: "it-IT", colorScheme: "light" });
  await context.route((url) => url.hostname !== "127.0.0.1", (route) => route.abort());
  const page = await context.newPage();
  await page.goto(`${base}/__wemi/edit/?page=${encodeURIComponent(pagePath)}`);
  await page.waitForSelector("#save", WAIT);
  await page.waitForFunction(() => document.querySelector("#status .ok") && document.querySelector("#preview").src, null, WAIT);
  await page.waitForTimeout(500);
  const file = join(outDir, "editor-pagina.png");
  await page.screenshot({ path: file });
  console.log(`screenshot: ${file}`);

  const municipio = page.getByLabel(/^Municipio/);
  await municipio.fill("12");
  await page.waitForFunction(() => document.querySelector("[aria-invalid=true]"), null, WAIT);
  await municipio.blur();
  await shot(page, "errore", "#status", ".field:has(> [aria-invalid=true])");
  await municipio.fill("5");
  await page.waitForFunction(() => document.querySelector("#status .ok"), null, WAIT);
  await shot(page, "orari", "fieldset.hours");
  await shot(page, "immagine", "fieldset.upload");
  await page.locator("#save").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /Salvato/.test(document.querySelector("#notice").textContent), null, WAIT);
  await shot(page, "salvato", ".actions");

  await page.goto(`${base}/__wemi/edit/?new=${encodeURIComponent(section)}`);
  await page.waitForSelector("#create", WAIT);
  await shot(page, "nuova", ".bar", "#editor");
} finally {
  await browser.close();
}
