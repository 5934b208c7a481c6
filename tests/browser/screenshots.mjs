// Screenshots for the README: the first screen of the home and of a space page (the largest
// page under spazi/ carrying a schema.org GovernmentOffice) of each built site, on a desktop
// (1366 × 900) and on a phone (390 × 844), in light mode, as PNG files named
// NAME-home-desktop.png, NAME-space-mobile.png, … in OUT_DIR. The browser's clock is fixed
// (a Tuesday, 10:30 in Milan), so that what scripts compute from the time ("Aperto ora") is
// the same at every run.
// Usage: node screenshots.mjs OUT_DIR NAME=SITE_DIR… (`.ci/site-checks screenshots` builds the
// real site and the complete fixture and writes docs/screenshots/).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { serve } from "./static-server.mjs";
import { chromiumArgs, largestWith } from "./site-pages.mjs";

const fixedTime = new Date("2026-03-10T10:30:00+01:00");
const devices = {
  desktop: { viewport: { width: 1366, height: 900 } },
  mobile: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

const [outDir, ...sites] = process.argv.slice(2);
if (!outDir || sites.length === 0 || !sites.every((site) => site.includes("="))) {
  console.error("usage: node screenshots.mjs OUT_DIR NAME=SITE_DIR…");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
for (const site of sites) {
  const [name, dir] = site.split(/=(.*)/s);
  const server = await serve(dir, 0);
  const pages = { home: "", space: largestWith(dir, "spazi", "GovernmentOffice") };
  for (const [device, options] of Object.entries(devices)) {
    const context = await browser.newContext({ ...options, colorScheme: "light", timezoneId: "Europe/Rome" });
    await context.clock.setFixedTime(fixedTime);
    await context.route((url) => url.hostname !== "127.0.0.1", (route) => route.abort());
    const page = await context.newPage();
    for (const [kind, path] of Object.entries(pages)) {
      await page.goto(server.url + path, { waitUntil: "load" });
      const file = join(outDir, `${name}-${kind}-${device}.png`);
      await page.screenshot({ path: file });
      console.log(`screenshot: /${path} (${device}) → ${file}`);
    }
    await context.close();
  }
  await server.close();
}
await browser.close();
