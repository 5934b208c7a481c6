// Opens built pages in headless Chromium and reports every sign of a script from content:
// calls of window.__xss (the hook the attack payloads call), dialogs (alert, confirm, prompt),
// focus/load/error/… events that reached an element with an inline handler for them, and,
// in the DOM as the browser parsed it, inline handler attributes, style attributes, script
// URLs in URL attributes, and every <script> element with its text.
// Usage: node xss.mjs USER_DATA_DIR FILE.html… ; prints one JSON object per file, in a list.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";

const [userDataDir, ...files] = process.argv.slice(2);
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
  ],
});

// Runs in every page before its own scripts: reports an event that reaches an element with
// an inline handler for it, whatever the handler does.
const watchHandlers = () => {
  const types = [
    "focus", "focusin", "blur", "load", "error", "mouseover", "click", "toggle",
    "animationstart", "transitionend", "pageshow", "scroll", "input", "change",
  ];
  for (const type of types) {
    window.addEventListener(type, (event) => {
      const target = event.target;
      if (target instanceof Element && target.hasAttribute("on" + type)) {
        window.__xssHandler(type, target.outerHTML.slice(0, 200));
      }
    }, true);
  }
};

// Runs once the page has settled: what the DOM holds.
const audit = () => {
  const urlAttributes = new Set([
    "href", "src", "action", "formaction", "xlink:href", "poster", "data", "background",
    "cite", "longdesc", "srcset", "ping", "codebase", "manifest", "icon", "lowsrc", "dynsrc",
  ]);
  const scriptSchemes = new Set(["javascript:", "vbscript:", "data:"]);
  const protocol = (url) => {
    try {
      return new URL(url, document.baseURI).protocol;
    } catch {
      return "";
    }
  };
  const found = { handlers: [], styles: [], scriptUrls: [], scripts: [], embeds: [] };
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const { name, value } of element.attributes) {
      const attribute = name.toLowerCase();
      if (attribute.startsWith("on")) found.handlers.push(`<${tag} ${attribute}="${value}">`);
      if (attribute === "style") found.styles.push(`<${tag} style="${value}">`);
      if (urlAttributes.has(attribute)) {
        const urls = attribute === "srcset"
          ? value.split(",").map((part) => part.trim().split(/\s+/)[0])
          : [value];
        for (const url of urls) {
          if (scriptSchemes.has(protocol(url))) {
            found.scriptUrls.push(`<${tag} ${attribute}="${value}">`);
          }
        }
      }
    }
    if (tag === "meta" && (element.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      const url = (element.getAttribute("content") || "").replace(/^[^;]*;\s*url=/i, "");
      if (scriptSchemes.has(protocol(url))) found.scriptUrls.push(`<meta content="${url}">`);
    }
    if (tag === "script") found.scripts.push({ type: element.type, text: element.textContent, src: element.getAttribute("src") });
    if (["iframe", "frame", "object", "embed", "base", "form"].includes(tag)) {
      found.embeds.push(element.outerHTML.slice(0, 200));
    }
  }
  return { title: document.title, ...found };
};

const results = [];
try {
  for (const file of files) {
    const page = await context.newPage();
    const result = { file, calls: [], dialogs: [], handlerEvents: [], errors: [] };
    await page.exposeFunction("__xss", (...args) => { result.calls.push(args.map(String).join(" ")); });
    await page.exposeFunction("__xssHandler", (type, element) => {
      result.handlerEvents.push(`${type}: ${element}`);
    });
    await page.addInitScript(watchHandlers);
    page.on("dialog", async (dialog) => {
      result.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    page.on("pageerror", (error) => result.errors.push(String(error)));
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 15000 });
      // Autofocus, image errors and timers fire just after load.
      await page.waitForTimeout(300);
      Object.assign(result, await page.evaluate(audit));
    } catch (error) {
      result.errors.push(String(error));
    }
    await page.close();
    results.push(result);
  }
} finally {
  await context.close();
}
console.log(JSON.stringify(results));
