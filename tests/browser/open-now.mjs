// Opens a built space page at fixed instants (the page's clock mocked, the browser's time zone
// set to Lima's) and reports what the reader sees: "Aperto ora" / "Chiuso ora", today's row
// of the hours table and today's hours in the first screen, the size of the contact links.
// The built site is served from its folder to the browser under http://wemi.test/, through
// Playwright's routing: nothing goes to the network.
// Usage: node open-now.mjs USER_DATA_DIR PUBLIC_DIR PAGE_PATH INSTANT… ; prints a JSON list.
import { chromium } from "playwright-core";
import { readFile } from "node:fs/promises";
import { join, extname } from "node:path";

const [userDataDir, publicDir, pagePath, ...instants] = process.argv.slice(2);
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 390, height: 844 },
  // A reader far from Milan (Lima, UTC-5): the page must still answer by Rome's clock.
  timezoneId: "America/Lima",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
await context.route("**/*", async (route) => {
  const url = new URL(route.request().url());
  if (url.host !== "wemi.test") return route.abort();
  let path = decodeURIComponent(url.pathname);
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(publicDir, path));
    return route.fulfill({ status: 200, body, contentType: types[extname(path)] || "application/octet-stream" });
  } catch {
    return route.fulfill({ status: 404, body: "" });
  }
});

const results = [];
for (const instant of instants) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.clock.setFixedTime(new Date(instant));
  await page.goto("http://wemi.test" + pagePath);
  await page.waitForLoadState("load");
  const seen = await page.evaluate(() => {
    const box = document.querySelector("[data-open-now]");
    const today = document.querySelector("tr.hours__today");
    const targets = [...document.querySelectorAll("main a[href^='tel:'], main a[href^='mailto:']")].map((a) => {
      const r = a.getBoundingClientRect();
      return { href: a.getAttribute("href"), width: r.width, height: r.height };
    });
    return {
      openNow: box.querySelector("[data-open-now-text]").textContent,
      openNowHidden: box.hidden,
      todayRow: today ? today.getAttribute("data-day") : null,
      todayMark: today ? today.querySelector(".hours__today-mark").textContent : "",
      todayLabel: document.querySelector("[data-today-label]").textContent,
      todayHours: document.querySelector("[data-today-hours]").textContent.trim(),
      contactTargets: targets,
    };
  });
  results.push({ instant, ...seen, errors });
  await page.close();
}
await context.close();
console.log(JSON.stringify(results));
