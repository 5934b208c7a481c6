// A static file server for the outside checks (axe, Lighthouse, the Designers Italia
// validator, screenshots): serves a built site from 127.0.0.1 as a static host would, a folder
// as its index.html, and a missing file as the site's 404.html with status 404. Nothing outside
// the folder is served (the path is resolved and checked).
// As a module: `await serve(dir, port)` → { url, close() } (port 0 picks a free one).
// As a command: `node static-server.mjs DIR PORT` serves until killed.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".geojson": "application/geo+json",
  ".csv": "text/csv; charset=utf-8",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".webmanifest": "application/manifest+json",
  ".pdf": "application/pdf",
};

/// The file a request path names inside `root`, or null (missing, or outside `root`).
async function fileFor(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  let file = resolve(root, "." + decoded);
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

export async function serve(dir, port = 0) {
  const root = resolve(dir);
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, "http://localhost").pathname;
    let file = await fileFor(root, path);
    let status = 200;
    if (file === null) {
      status = 404;
      file = await fileFor(root, "/404.html");
    }
    const body = file === null ? Buffer.from("Not found\n") : await readFile(file);
    const type = file === null ? "text/plain; charset=utf-8" : types[extname(file)];
    response.writeHead(status, {
      "content-type": type || "application/octet-stream",
      "content-length": body.length,
    });
    response.end(request.method === "HEAD" ? undefined : body);
  });
  await new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", done);
  });
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, close: () => new Promise((done) => server.close(done)) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, port] = process.argv.slice(2);
  if (!dir || !port) {
    console.error("usage: node static-server.mjs DIR PORT");
    process.exit(2);
  }
  const { url } = await serve(dir, Number(port));
  console.log(`serving ${dir} at ${url}`);
}
