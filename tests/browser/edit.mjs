// The page editor of `wemi serve` in headless Chromium, driven with the keyboard alone (Tab,
// typing, Enter: no clicks): on a space's editor, types an invalid municipio, waits for the
// server's message beside that field, fixes it, changes Monday's first time slot, and saves with
// Enter on the Save button. Then "Nuova pagina": an empty title first (the server's error
// beside it), then a title and Enter, which leads to the new page's editor. axe-core runs on
// the editor with no errors, with errors shown, and on the new page form with and without its
// error; a full Tab walk lists the controls focus never reaches or reaches without a visible
// outline. Prints what it saw as JSON; the Rust test (tests/e2e/edit_browser.rs) judges it.
// Then, while the page is open in another editor, appends a line to FILE (the page's file): saving
// there is a conflict, and reloading shows the line. Last, on the new page, uploads IMAGE with
// its alternative text.
// Usage: node edit.mjs EDIT_URL NEW_URL IMAGE FILE
import { chromium } from "playwright-core";
import { appendFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromiumArgs } from "./site-pages.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const [editUrl, newUrl, image, file] = process.argv.slice(2);
/// What "another program" adds to the page's file while it is open in the editor.
const OTHER_PROGRAM = "Riga scritta da un altro programma.\n";
const WAIT = { timeout: 20000 };

/// axe-core's violations on the page, as "rule: targets" lines.
async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/// Presses Tab until `test(arg)`, run in the page, says the focused element is the one
/// wanted; fails after `limit` presses.
async function tabTo(page, test, arg, limit = 300) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(test, arg)) return;
  }
  throw new Error(`Tab never reached ${test} (${arg})`);
}

/// The focused control's label text and its error message (what aria-describedby points at
/// with the class `error`), and whether it is marked invalid.
const focusedField = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const described = (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean)
    .map((id) => document.getElementById(id)).filter((e) => e && e.classList.contains("error") && !e.hidden);
  return {
    label: el.labels && el.labels[0] ? el.labels[0].textContent : "",
    invalid: el.getAttribute("aria-invalid"),
    error: described.map((e) => e.textContent).join(" "),
  };
});

/// Whether the focused element is the input whose label starts with `word`, inside the
/// fieldset with the legend `legend` when there is one.
const labelled = ([word, legend]) => {
  const el = document.activeElement;
  return Boolean(el.labels && el.labels[0] && el.labels[0].textContent.startsWith(word)
    && (!legend || el.closest("fieldset")?.querySelector("legend")?.textContent === legend));
};
/// Whether the focused element has the id `id`.
const hasId = (id) => document.activeElement.id === id;

/// Walks the whole page with Tab: the enabled, visible controls never focused, and those
/// focused without a visible outline.
async function tabWalk(page) {
  await page.evaluate(() => {
    window.focusSeen = new Set();
    window.noOutline = [];
    document.addEventListener("focusin", (e) => {
      const el = e.target;
      window.focusSeen.add(el);
      const style = getComputedStyle(el);
      if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) === 0) window.noOutline.push(el.id || el.outerHTML.slice(0, 80));
    });
    document.activeElement.blur();
  });
  const total = await page.evaluate(() => document.querySelectorAll("a, button, input, select, textarea, iframe").length);
  for (let i = 0; i < total + 10; i++) await page.keyboard.press("Tab");
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll("#main a[href], #main button, #main input, #main select, #main textarea, #links a")]
      .filter((el) => !el.disabled && el.getClientRects().length > 0);
    return {
      controls: controls.length,
      unreached: controls.filter((el) => !window.focusSeen.has(el)).map((el) => el.id || el.outerHTML.slice(0, 80)),
      noOutline: window.noOutline,
    };
  });
}

/// Closes `page` as a user leaving it: whether the browser asked "leave the page?" first.
function asksOnLeaving(page) {
  return new Promise((resolve) => {
    let asked = false;
    page.on("dialog", (dialog) => {
      if (dialog.type() === "beforeunload") asked = true;
      dialog.accept();
    });
    page.on("close", () => resolve(asked));
    page.close({ runBeforeUnload: true });
  });
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
const out = {};
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "it-IT" });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(editUrl);
  await page.waitForSelector("#save", WAIT);
  await page.waitForFunction(() => document.querySelector("#status .ok"), null, WAIT);
  out.heading = await page.textContent("h1");
  out.axeClean = await axe(page);
  out.tabWalk = await tabWalk(page);

  // An invalid municipio: the server's message beside the field.
  await page.evaluate(() => document.activeElement.blur());
  await tabTo(page, labelled, ["Municipio"]);
  await page.keyboard.press("Control+a");
  await page.keyboard.type("12");
  await page.waitForFunction(() => document.activeElement.getAttribute("aria-invalid") === "true", null, WAIT);
  out.invalid = await focusedField(page);
  out.summary = await page.textContent("#status");
  out.axeErrors = await axe(page);

  // Fixed: the message goes away.
  await page.keyboard.press("Control+a");
  await page.keyboard.type("5");
  await page.waitForFunction(() => document.activeElement.getAttribute("aria-invalid") === null
    && document.querySelector("#status .ok"), null, WAIT);
  out.fixed = await focusedField(page);

  // Monday's first slot.
  await tabTo(page, labelled, ["Fascia 1", "lunedì"]);
  await page.keyboard.press("Control+a");
  await page.keyboard.type("10:00-13:00");
  // Saved with Enter on the Save button, reached with Tab.
  await tabTo(page, hasId, "save");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /Salvato/.test(document.querySelector("#notice").textContent), null, WAIT);
  out.saved = await page.textContent("#notice");
  out.savedLink = await page.getAttribute("#notice a", "href");

  // Leaving with unsaved changes asks first; after saving, it does not.
  out.askedAfterSave = await asksOnLeaving(page);
  const other = await context.newPage();
  await other.goto(editUrl);
  await other.waitForSelector("#save", WAIT);
  await other.focus("#body"); // (not part of the keyboard run)
  await other.keyboard.type("Una riga in più.");
  out.askedWithChanges = await asksOnLeaving(other);

  // The file changed on disk after the editor opened it: saving is refused and says so, the
  // file stays as the other program wrote it; reloading (confirmed) shows the disk's text.
  const third = await context.newPage();
  third.on("dialog", (dialog) => dialog.accept());
  await third.goto(editUrl);
  await third.waitForSelector("#save", WAIT);
  await third.waitForFunction(() => document.querySelector("#status .ok"), null, WAIT);
  await tabTo(third, hasId, "body");
  await third.keyboard.type("Testo scritto nell'editor.");
  appendFileSync(file, OTHER_PROGRAM);
  await tabTo(third, hasId, "save");
  await third.keyboard.press("Enter");
  await third.waitForFunction(() => /^Non salvato/.test(document.querySelector("#notice").textContent), null, WAIT);
  out.conflict = await third.textContent("#notice");
  await third.keyboard.press("Tab");
  out.conflictFocus = await third.evaluate(() => document.activeElement.textContent);
  await Promise.all([third.waitForEvent("load", WAIT), third.keyboard.press("Enter")]);
  await third.waitForSelector("#save", WAIT);
  out.reloadedBody = await third.inputValue("#body");
  await third.close();

  // On a phone, nothing is wider than the screen.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "it-IT" });
  await phone.goto(editUrl);
  await phone.waitForSelector("#save", WAIT);
  out.phoneOverflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await phone.close();

  // A new page: the empty title's error beside the field, then a title and Enter.
  const fresh = await context.newPage();
  fresh.on("pageerror", (e) => pageErrors.push(e.message));
  await fresh.goto(newUrl);
  await fresh.waitForSelector("#create", WAIT);
  out.newHeading = await fresh.textContent("h1");
  out.axeNew = await axe(fresh);
  await tabTo(fresh, hasId, "create");
  await fresh.keyboard.press("Enter");
  await fresh.waitForFunction(() => document.querySelector("[aria-invalid=true]"), null, WAIT);
  out.newEmpty = await fresh.evaluate(() => document.querySelector(".error:not([hidden])").textContent);
  out.axeNewErrors = await axe(fresh);
  // The focus went back to the title, beside its error.
  await fresh.keyboard.type("Spazio di prova");
  await fresh.keyboard.press("Enter");
  await fresh.waitForURL(/\?page=/, WAIT);
  await fresh.waitForSelector("#save", WAIT);
  out.newEditor = { url: fresh.url(), heading: await fresh.textContent("h1") };

  // An image, chosen and described with the keyboard, goes in the text at the cursor.
  await tabTo(fresh, hasId, "image-file");
  const [chooser] = await Promise.all([fresh.waitForEvent("filechooser", WAIT), fresh.keyboard.press("Space")]);
  await chooser.setFiles(image);
  await tabTo(fresh, hasId, "image-alt");
  await fresh.keyboard.type("Una foto di prova");
  await tabTo(fresh, hasId, "image-upload");
  await fresh.keyboard.press("Enter");
  await fresh.waitForFunction(() => document.querySelector("#body").value.includes("!["), null, WAIT);
  out.uploaded = { body: await fresh.inputValue("#body"), status: await fresh.textContent(".upload-status") };
  out.pageErrors = pageErrors;
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
