// Lighthouse (mobile: its default emulation and simulated throttling) on the home, a space page
// and a news page of a built site, served from 127.0.0.1:PORT; fails below the thresholds.
// The site must be built for that address (`wemi build --base-url http://127.0.0.1:PORT/`):
// its canonical URLs, hreflang alternates, robots.txt and sitemap then name the host Lighthouse
// sees, as they name the real host in production. No audit is turned off.
// The space page is the largest page under spazi/ carrying a schema.org GovernmentOffice, the
// news page the largest under notizie/ carrying a NewsArticle (or, where no page carries the
// type, the largest page under that folder; the paths can be given instead).
// Usage: CHROME_PATH=/usr/bin/chromium node lighthouse.mjs SITE_DIR PORT [PATH…]
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { chromiumArgs, largestWith } from "./site-pages.mjs";
import { serve } from "./static-server.mjs";

const thresholds = { performance: 90, accessibility: 95, "best-practices": 95, seo: 95 };

const [dir, port, ...given] = process.argv.slice(2);
if (!dir || !port) {
  console.error("usage: node lighthouse.mjs SITE_DIR PORT [PATH…]");
  process.exit(2);
}
const paths = given.length > 0
  ? given
  : ["", largestWith(dir, "spazi", "GovernmentOffice"), largestWith(dir, "notizie", "NewsArticle")];
const server = await serve(dir, Number(port));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: chromiumArgs,
});
let failed = 0;
try {
  for (const path of paths) {
    const url = server.url + path;
    const { lhr } = await lighthouse(url, {
      port: chrome.port,
      logLevel: "error",
      output: "json",
      onlyCategories: Object.keys(thresholds),
    });
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.message}`);
    const scores = Object.entries(thresholds).map(([id, min]) => {
      const score = Math.round((lhr.categories[id].score ?? 0) * 100);
      if (score < min) failed++;
      return `${id} ${score}${score < min ? ` (below ${min})` : ""}`;
    });
    console.log(`lighthouse: /${path}: ${scores.join(", ")}`);
    // What lost points: every weighted audit that did not pass, with Lighthouse's own words.
    for (const [id, category] of Object.entries(lhr.categories)) {
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          const value = audit.displayValue ? ` (${audit.displayValue})` : "";
          console.log(`    ${id}: ${ref.id} ${Math.round(audit.score * 100)}${value}: ${audit.title}`);
          for (const item of (audit.details?.items ?? []).slice(0, 5)) {
            const said = [item.url ?? item.sourceLocation?.url, item.description, item.node?.snippet].filter(Boolean);
            if (said.length > 0) console.log(`        ${said.join(": ")}`);
          }
        }
      }
    }
  }
} finally {
  await chrome.kill();
  await server.close();
}
process.exit(failed === 0 ? 0 : 1);
