// Opens a page of `wemi serve` in headless Chromium, edits the page's markdown file, and
// waits for the new title to appear without anyone reloading the page.
// Usage: node live-reload.mjs URL MARKDOWN_FILE NEW_TITLE
import { chromium } from "playwright-core";
import { writeFileSync } from "node:fs";

const [url, file, title] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
  ],
});
try {
  const page = await browser.newPage();
  let navigations = 0;
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) navigations += 1; });
  await page.goto(url);
  // The live reload stream is open once the page has loaded.
  await page.waitForTimeout(500);
  const before = await page.textContent("h1");
  writeFileSync(file, `---\ntitle: "${title}"\n---\nTesto cambiato.\n`);
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent.includes(t), title, { timeout: 15000 });
  const after = await page.textContent("h1");
  console.log(JSON.stringify({ before, after, reloadedBy: "server", navigations }));
} finally {
  await browser.close();
}
