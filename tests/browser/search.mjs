// Opens the search page of a built site for each query (/cerca/?q=QUERY) and reports what the
// reader sees once the search has answered: the status line, each result (title, URL, section,
// excerpt), and which files of the index the page downloaded, with their sizes. The site is
// served from its folder under http://wemi.test/ through Playwright's routing: nothing goes
// to the network.
// Usage: node search.mjs USER_DATA_DIR PUBLIC_DIR QUERY… ; prints a JSON list.
import { chromium } from "playwright-core";
import { readFile } from "node:fs/promises";
import { join, extname } from "node:path";

const [userDataDir, publicDir, ...queries] = process.argv.slice(2);
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let fetched = [];
let elsewhere = [];
await context.route("**/*", async (route) => {
  const url = new URL(route.request().url());
  if (url.host !== "wemi.test") {
    elsewhere.push(url.href);
    return route.abort();
  }
  let path = decodeURIComponent(url.pathname);
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(publicDir, path));
    if (path.startsWith("/search/")) fetched.push({ path, bytes: body.length });
    return route.fulfill({ status: 200, body, contentType: types[extname(path)] || "application/octet-stream" });
  } catch {
    return route.fulfill({ status: 404, body: "not found" });
  }
});
const page = await context.newPage();
const report = [];
for (const query of queries) {
  fetched = [];
  elsewhere = [];
  await page.goto("http://wemi.test/cerca/?q=" + encodeURIComponent(query));
  await page.waitForFunction(() => document.querySelector("[data-search-status]")?.textContent.trim() !== "");
  await page.waitForLoadState("networkidle");
  const seen = await page.evaluate(() => ({
    status: document.querySelector("[data-search-status]").textContent,
    live: document.querySelector("[data-search-status]").getAttribute("role"),
    input: document.getElementById("search-q").value,
    results: [...document.querySelectorAll(".search-result")].map((li) => ({
      title: li.querySelector("a").textContent,
      url: li.querySelector("a").getAttribute("href"),
      section: li.querySelector(".search-result__section")?.textContent ?? "",
      excerpt: li.querySelector(".search-result__excerpt")?.textContent ?? "",
    })),
  }));
  report.push({ query, ...seen, fetched, elsewhere });
}
await context.close();
console.log(JSON.stringify(report));
