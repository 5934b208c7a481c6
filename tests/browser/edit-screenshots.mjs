// Screenshots of the page editor of `wemi serve` for the editors' guide (docs/img/editor-*.png):
// the editor's first screen, an error beside a field and in the summary at the top, the opening
// hours, the outcome of saving, the image upload and the "Nuova pagina" form, in Italian, light
// mode, 1280 px wide (Debian's chromium shows dates in its only locale, en-US).
// The script SAVES the page (municipio 5, Monday's hours, Sunday closed): run it on a copy of
// the site. The guide's screenshots come from a copy of this repository's site:
//   mkdir /tmp/s && cp -r site.yaml content themes data /tmp/s/
//   wemi serve --root /tmp/s --port 1111 &
//   node tests/browser/edit-screenshots.mjs docs/img http://127.0.0.1:1111 spazi/via-piazzetta.md spazi
// The page needs a `municipio` field (a number from 1 to 9) and an `opening_hours` field.
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

/// Saves a screenshot of the element `selector`, with the Save bar (sticky at the bottom of
/// the window) put back in its place so that it never covers the element.
async function shot(page, name, selector) {
  await page.evaluate(() => { document.querySelector(".actions").style.position = "static"; });
  const file = join(outDir, `editor-${name}.png`);
  await page.locator(selector).first().screenshot({ path: file });
  await page.evaluate(() => { document.querySelector(".actions").style.position = ""; });
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
  await shot(page, "errore", ".field:has(> [aria-invalid=true])");
  await shot(page, "riepilogo", "#status");
  await municipio.fill("5");
  await page.waitForFunction(() => document.querySelector("#status .ok"), null, WAIT);
  // Monday from 9 to 13 and from 14 to 18, Sunday closed.
  const monday = page.locator("fieldset.day").first();
  for (const slot of ["09:00-13:00", "14:00-18:00"]) {
    await monday.getByRole("button", { name: /^Aggiungi fascia/ }).click();
    await page.keyboard.type(slot);
  }
  await page.locator("fieldset.day").last().getByLabel("chiuso").check();
  await page.waitForFunction(() => document.querySelector("#status .ok"), null, WAIT);
  await shot(page, "orari", "fieldset.hours");
  await shot(page, "immagine", "fieldset.upload");
  await page.locator("#save").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /Salvato/.test(document.querySelector("#notice").textContent), null, WAIT);
  await shot(page, "salvato", ".actions");

  await page.goto(`${base}/__wemi/edit/?new=${encodeURIComponent(section)}`);
  await page.waitForSelector("#create", WAIT);
  const nuova = join(outDir, "editor-nuova.png");
  await page.screenshot({ path: nuova, clip: { x: 0, y: 0, width: 660, height: 240 } });
  console.log(`screenshot: ${nuova}`);
} finally {
  await browser.close();
}
