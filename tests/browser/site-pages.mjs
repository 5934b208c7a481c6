// What the outside checks (axe, Lighthouse, screenshots) share: Debian's chromium with the
// flags for a headless, offline machine, and the pages of a built site with their types,
// found in the output rather than listed.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const chromiumArgs = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

/// Every .html file under `dir`, as paths relative to it with `/`.
export function htmlPages(dir, base = dir) {
  const pages = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) pages.push(...htmlPages(path, base));
    else if (name.endsWith(".html")) pages.push(relative(base, path).split("\\").join("/"));
  }
  return pages;
}

/// The URL pattern of a page: `spazi/*/`, `en/spazi/*/`, `notizie/`, `` for the home.
export function urlPattern(page) {
  const folders = page.split("/").slice(0, -1);
  const kept = /^[a-z]{2}(-[a-z]+)?$/i.test(folders[0] ?? "") && folders.length > 1 ? 2 : 1;
  return folders.map((folder, i) => (i < kept ? folder : "*")).map((f) => f + "/").join("");
}

/// The names of the elements inside <main> (or <body>), sorted: the shape of the page.
function shape(html) {
  const main = html.match(/<main[\s>][\s\S]*<\/main>/i)?.[0] ?? html;
  const names = new Set([...main.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1].toLowerCase()));
  return [...names].sort().join(" ");
}

/// One page (the largest) of each page type of the site in `dir`.
export function pageTypes(dir) {
  const groups = new Map();
  for (const page of htmlPages(dir)) {
    const html = readFileSync(join(dir, page), "utf8");
    const key = page === "404.html" ? "404" : `${urlPattern(page)} | ${shape(html)}`;
    const best = groups.get(key);
    if (!best || html.length > best.size) groups.set(key, { page, size: html.length });
  }
  return [...groups.values()].map(({ page }) => page).sort();
}

/// The page's URL path: a folder's index.html by its folder.
export const urlPath = (page) => page.replace(/(^|\/)index\.html$/, "$1");

/// The largest page one level below `folder` of `dir` whose JSON-LD names the schema.org type
/// `type`, or the largest page there.
export function largestWith(dir, folder, type) {
  const candidates = htmlPages(dir)
    .filter((page) => urlPattern(page) === `${folder}/*/`)
    .map((page) => ({ page, html: readFileSync(join(dir, page), "utf8") }))
    .sort((a, b) => b.html.length - a.html.length);
  const typed = candidates.filter(({ html }) => new RegExp(`"@type"\\s*:\\s*"${type}"`).test(html));
  const best = typed[0] ?? candidates[0];
  if (!best) throw new Error(`${dir}: no page under ${folder}/; give the paths`);
  return urlPath(best.page);
}
