// axe-core in headless Chromium on one page of every page type of each built site, in light
// and dark mode (prefers-color-scheme emulated) at 390 and 1366 px wide.
// Page types are found in the output, not listed: pages are grouped by URL pattern (the first
// folder, or the first two under a language folder such as en/, with the deeper ones as `*`)
// and, inside a pattern, by the set of element names in <main> (a map, a table of hours or a
// search form makes another type); the largest page of each group stands for it, and 404.html
// is a type of its own.
// Usage: node axe.mjs SITE_DIR… ; prints each page checked and every violation (rule, impact,
// help, the elements) and every request to another host, and exits 1 when there is one.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { serve } from "./static-server.mjs";
import { chromiumArgs, pageTypes, urlPath } from "./site-pages.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const widths = [390, 1366];
const schemes = ["light", "dark"];

const sites = process.argv.slice(2);
if (sites.length === 0) {
  console.error("usage: node axe.mjs SITE_DIR…");
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
let violations = 0;
let checked = 0;
for (const dir of sites) {
  const server = await serve(dir, 0);
  const pages = pageTypes(dir);
  console.log(`axe: ${dir}: ${pages.length} page types`);
  for (const width of widths) {
    for (const colorScheme of schemes) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
      // No request leaves 127.0.0.1: one to another host is refused and counted as a failure.
      await context.route((url) => url.hostname !== "127.0.0.1", (route) => {
        violations++;
        console.log(`  FAIL ${route.request().frame().url()}: request to another host: ${route.request().url()}`);
        return route.abort();
      });
      const page = await context.newPage();
      for (const path of pages) {
        await page.goto(server.url + urlPath(path), { waitUntil: "load" });
        await page.evaluate(axeSource);
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
        checked++;
        const where = `${dir}/${path} (${width} px, ${colorScheme})`;
        if (result.violations.length === 0) {
          console.log(`  ok   ${where}`);
          continue;
        }
        for (const v of result.violations) {
          violations++;
          console.log(`  FAIL ${where}: ${v.id} (${v.impact}): ${v.help}`);
          for (const node of v.nodes) {
            const why = node.failureSummary.split("\n").slice(1).map((line) => line.trim());
            console.log(`         ${node.target.join(" ")}: ${why.join("; ")}`);
          }
        }
      }
      await context.close();
    }
  }
  await server.close();
}
await browser.close();
console.log(`axe: ${checked} page checks, ${violations} violations`);
process.exit(violations === 0 ? 0 : 1);
