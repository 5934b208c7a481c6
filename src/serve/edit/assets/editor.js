// The page editor of `wemi serve` (/__wemi/edit/): builds a form from the section's schema
// as the server describes it (api/page), sends every change to the server for the build's own
// checks and a preview (api/check), and saves (api/save). It checks nothing itself: every
// message comes from the server, in the CLI's wording. Written for this project, no library,
// no build step; the server fills the meta tags of editor.html.
"use strict";

const TEXTS = {
  it: {
    edit: "Modifica la pagina", newPage: "Nuova pagina", inSection: "nella sezione",
    required: "obbligatorio", none: "—", yes: "sì", no: "no",
    readOnly: "sola lettura: campo non previsto dallo schema",
    add: "Aggiungi", remove: "Rimuovi", up: "Su", down: "Giù", item: "elemento",
    closed: "chiuso", slot: "Fascia", addSlot: "Aggiungi fascia", removeSlot: "Rimuovi fascia",
    slotHelp: "Una fascia oraria come 09:00-13:00.",
    days: ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    lat: "Latitudine", lon: "Longitudine",
    body: "Testo della pagina (Markdown)",
    bodyHelp: "Il testo sotto i campi: titoli con ##, elenchi con -, link con [testo](indirizzo).",
    preview: "Anteprima", previewNone: "Finché ci sono errori l'anteprima non cambia: mostra l'ultima versione senza errori.",
    save: "Salva", saving: "Salvataggio…", saved: "Salvato.", viewPage: "Vedi la pagina",
    draft: "La pagina è una bozza: si vede solo con wemi serve --drafts.",
    back: "Torna alla pagina",
    checking: "Controllo in corso…", ok: "Nessun errore.",
    errorsOne: "1 errore: correggilo prima di salvare.",
    errorsMany: "{n} errori: correggili prima di salvare.",
    notSaved: "Non salvato: la pagina ha errori. Nessun file è stato cambiato.",
    conflict: "Non salvato: il file è stato cambiato sul disco dopo che l'hai aperto (da un'altra finestra o da un altro programma). Il file non è stato toccato.",
    conflictCheck: "Attenzione: il file è stato cambiato sul disco dopo che l'hai aperto. Salvando non lo sovrascriverai: prima dovrai ricaricarlo.",
    reload: "Ricarica il file dal disco (le modifiche fatte qui si perdono)",
    keep: "Continua a modificare",
    reloadSure: "Le modifiche fatte qui si perdono. Ricaricare il file dal disco?",
    where: "riga {l}, colonna {c}", line: "riga {l}",
    error: "Errore", pageErrors: "Problemi della pagina",
    offline: "Il server non risponde: controlla che wemi serve sia ancora acceso nel terminale.",
    refused: "Il server ha rifiutato la richiesta ({s}).",
    title: "Titolo della nuova pagina", titleHelp: "Il nome della pagina; il file prende il nome dal titolo. La pagina nasce come bozza.",
    create: "Crea la pagina",
    image: "Aggiungi un'immagine", file: "Immagine (JPEG, PNG o WebP)",
    alt: "Testo alternativo", altHelp: "Che cosa mostra l'immagine, per chi non la vede: per esempio \"L'ingresso dello spazio in via Piazzetta\".",
    upload: "Carica e inserisci nel testo", uploaded: "Immagine caricata e inserita nel testo: {f}.",
    noFile: "Scegli prima un'immagine.",
  },
  en: {
    edit: "Edit the page", newPage: "New page", inSection: "in the section",
    required: "required", none: "—", yes: "yes", no: "no",
    readOnly: "read only: a field the schema does not declare",
    add: "Add", remove: "Remove", up: "Up", down: "Down", item: "item",
    closed: "closed", slot: "Slot", addSlot: "Add a slot", removeSlot: "Remove slot",
    slotHelp: "A time slot such as 09:00-13:00.",
    days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    lat: "Latitude", lon: "Longitude",
    body: "Text of the page (Markdown)",
    bodyHelp: "The text below the fields: headings with ##, lists with -, links with [text](address).",
    preview: "Preview", previewNone: "While there are errors the preview does not change: it shows the last version without errors.",
    save: "Save", saving: "Saving…", saved: "Saved.", viewPage: "View the page",
    draft: "The page is a draft: it is shown only by wemi serve --drafts.",
    back: "Back to the page",
    checking: "Checking…", ok: "No errors.",
    errorsOne: "1 error: fix it before saving.",
    errorsMany: "{n} errors: fix them before saving.",
    notSaved: "Not saved: the page has errors. No file was changed.",
    conflict: "Not saved: the file was changed on disk after you opened it (in another window or by another program). The file was not touched.",
    conflictCheck: "Note: the file was changed on disk after you opened it. Saving will not overwrite it: you will have to reload it first.",
    reload: "Reload the file from disk (the changes made here are lost)",
    keep: "Keep editing",
    reloadSure: "The changes made here will be lost. Reload the file from disk?",
    where: "line {l}, column {c}", line: "line {l}",
    error: "Error", pageErrors: "Problems of the page",
    offline: "The server does not answer: check that wemi serve is still running in the terminal.",
    refused: "The server refused the request ({s}).",
    title: "Title of the new page", titleHelp: "The name of the page; the file is named after it. The page starts as a draft.",
    create: "Create the page",
    image: "Add an image", file: "Image (JPEG, PNG or WebP)",
    alt: "Alternative text", altHelp: "What the image shows, for those who cannot see it: e.g. \"The entrance of the space in via Piazzetta\".",
    upload: "Upload and insert in the text", uploaded: "Image uploaded and inserted in the text: {f}.",
    noFile: "Choose an image first.",
  },
};
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const CHECK_DELAY_MS = 400;

const meta = (name) => document.querySelector(`meta[name="wemi-${name}"]`).content;
const TOKEN = meta("token");
const PAGE = meta("page");
const MODE = meta("mode");
const LANG = document.documentElement.lang === "en" ? "en" : "it";
const T = TEXTS[LANG];

/// `T[key]` with `{name}` placeholders filled from `vars`.
function t(key, vars = {}) {
  return T[key].replace(/\{(\w+)\}/g, (_, name) => String(vars[name]));
}

let lastId = 0;
const newId = (prefix) => `${prefix}-${++lastId}`;

/// A new element: `attrs` are properties (or attributes when they contain `-`), `children`
/// nodes or strings.
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.includes("-") || key === "role" || key === "for") el.setAttribute(key, value === true ? "" : value);
    else el[key] = value;
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

/// A request to the editor's API: the JSON answer with its status; `{status: 0}` when the
/// server cannot be reached.
async function api(method, path, body, type = "application/json") {
  const init = { method, headers: { "X-Wemi-Token": TOKEN }, cache: "no-store" };
  if (body !== undefined) {
    init.headers["Content-Type"] = type;
    init.body = type === "application/json" ? JSON.stringify(body) : body;
  }
  try {
    const answer = await fetch(path, init);
    let json = {};
    try { json = await answer.json(); } catch { /* an answer without JSON: status only */ }
    return { status: answer.status, json };
  } catch {
    return { status: 0, json: {} };
  }
}

/// The text of one problem: the server's message and hint, with its place in the body when
/// it has one.
function problemText(error, withPlace) {
  let text = error.message;
  if (error.hint) text += ` (${error.hint})`;
  if (withPlace && error.line) {
    const place = error.column ? t("where", { l: error.line, c: error.column }) : t("line", { l: error.line });
    text = `${place}: ${text}`;
  }
  return text;
}

/// What went wrong with a request that failed without errors to place.
function failure(answer) {
  if (answer.status === 0) return T.offline;
  const said = answer.json.error ? `: ${answer.json.error}` : "";
  return t("refused", { s: answer.status }) + said;
}

// ---- Places for messages ----------------------------------------------------------------

/// Where a field's problems are shown: the message element beside `controls`, which get
/// `aria-invalid` and point at it with `aria-describedby` (after their help text).
class Slot {
  constructor(controls, help, label) {
    this.controls = controls;
    this.help = help;
    this.label = label;
    this.message = h("p", { className: "error", id: newId("err"), hidden: true });
    this.describe(false);
  }
  describe(withError) {
    const ids = [this.help && this.help.id, withError && this.message.id].filter(Boolean).join(" ");
    for (const control of this.controls) {
      if (ids) control.setAttribute("aria-describedby", ids);
      else control.removeAttribute("aria-describedby");
      if (control.tagName !== "FIELDSET") {
        if (withError) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
    }
  }
  show(texts) {
    this.message.replaceChildren();
    texts.forEach((text, i) => {
      if (i) this.message.append(h("br"));
      this.message.append(h("strong", {}, `${T.error}: `), text);
    });
    this.message.hidden = texts.length === 0;
    this.describe(texts.length > 0);
  }
  /// The field's name, for the summary's link to it.
  name() {
    // A label's first text is the field's name, without "(obbligatorio)".
    return typeof this.label === "string" ? this.label : (this.label.firstChild || this.label).textContent;
  }
  /// The element a link to this problem focuses: the control, or a group's first control.
  target() {
    const control = this.controls[0];
    return control.tagName === "FIELDSET" ? control.querySelector("input, select, textarea, button") || control : control;
  }
}

/// A label with the required marker in words, and a help paragraph when there is help.
function labelled(spec, forId) {
  const label = h(forId ? "label" : "legend", forId ? { for: forId } : {}, spec.label);
  if (spec.required) label.append(" ", h("span", { className: "required" }, `(${T.required})`));
  if (spec.readOnly) label.append(" ", h("span", { className: "note" }, `(${T.readOnly})`));
  const help = spec.help ? h("p", { className: "help", id: newId("help") }, spec.help) : null;
  return { label, help };
}

// ---- Fields ------------------------------------------------------------------------------
// Each builder returns a field: { node, get(), locate(path) → Slot }. `get` gives the value to
// send (undefined: absent); `locate` the slot of a problem at `path` below the field.

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/// A copy of `base` with the value of each `[key, field]` set, or removed where the field gives
/// none: keys no field shows stay as they came.
/// The value of `key` in `map`: its own, never one an object inherits (`constructor`).
function ownValue(map, key) {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

function withValues(base, pairs) {
  const out = { ...base };
  for (const [key, f] of pairs) {
    const v = f.get();
    if (v === undefined) delete out[key];
    else out[key] = v;
  }
  return out;
}
const SCALARS = new Set(["string", "text", "integer", "number", "bool", "date", "datetime", "enum",
  "url", "email", "phone", "reference"]);

/// The field of `spec` holding `value`; `ctx.changed` is called on every change.
function field(spec, value, ctx) {
  const kind = spec.kind;
  const fits = SCALARS.has(kind) ? !isObject(value) && !Array.isArray(value)
    : kind === "list" ? value === undefined || value === null || Array.isArray(value)
      : value === undefined || value === null || isObject(value);
  if (spec.readOnly || spec.read_only || !fits) return readOnlyField({ ...spec, readOnly: true }, value);
  if (kind === "list") return listField(spec, value, ctx);
  if (kind === "object" || kind === "geo") return objectField(spec, value, ctx);
  if (kind === "opening_hours") return hoursField(spec, value, ctx);
  if (kind === "bool" || kind === "enum" || kind === "reference") return selectField(spec, value, ctx);
  return inputField(spec, value, ctx);
}

/// A value the form shows but never changes: sent back as it came.
function readOnlyField(spec, value) {
  const id = newId("f");
  const { label, help } = labelled(spec, id);
  const text = value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
  const input = h("input", { id, type: "text", value: text, readOnly: true });
  const slot = new Slot([input], help, label);
  return { node: h("div", { className: "field" }, label, help, input, slot.message), get: () => value, locate: () => slot };
}

const INPUT_TYPES = { url: "url", email: "email", phone: "tel", integer: "number", number: "number" };

/// A one-line input (or a textarea for `text`, and for any value written over several lines,
/// which an input would join). Numbers keep min/max; a date is a date picker only while its
/// text is a date, so that any other text still reaches the server's check. Until it is
/// edited, the field gives back its value as it came: an input changes some on its own (a
/// number input empties `+4`, an e-mail input trims spaces, every input drops line breaks).
function inputField(spec, value, ctx) {
  const id = newId("f");
  const { label, help } = labelled(spec, id);
  const text = value === undefined || value === null ? "" : String(value);
  let input;
  if (spec.kind === "text" || /[\r\n]/.test(text)) {
    input = h("textarea", { id, rows: 3, value: text });
  } else {
    let type = INPUT_TYPES[spec.kind] || "text";
    if (spec.kind === "date" && (text === "" || /^\d{4}-\d{2}-\d{2}$/.test(text))) type = "date";
    // A number input cannot hold other text: such a value stays a text input.
    if (type === "number" && text !== "" && !Number.isFinite(Number(text))) type = "text";
    input = h("input", { id, type, value: text, autocomplete: "off" });
    if (type === "number") {
      input.step = spec.kind === "integer" ? "1" : "any";
      if (spec.min !== null && spec.min !== undefined) input.min = spec.min;
      if (spec.max !== null && spec.max !== undefined) input.max = spec.max;
    }
    if (spec.kind === "datetime") input.placeholder = "2026-03-10T17:00:00+01:00";
    if (spec.kind === "phone") input.placeholder = "02 8845 8041";
  }
  if (spec.required) input.setAttribute("aria-required", "true");
  let edited = false;
  input.addEventListener("input", (event) => {
    edited = true;
    ctx.changed(event);
  });
  const slot = new Slot([input], help, label);
  const get = () => {
    if (!edited) return value === null ? undefined : value;
    // Text a number input cannot read (such as "1e") is sent as "?", for the server to refuse.
    if (input.validity && input.validity.badInput) return "?";
    return input.value === "" ? undefined : input.value;
  };
  return { node: h("div", { className: "field" }, label, help, input, slot.message), get, locate: () => slot };
}

/// A choice: yes/no (with "—" for not said), an enum's values, or the pages of a section.
/// A value that is not among them is kept as a choice of its own, for the server to report.
function selectField(spec, value, ctx) {
  const id = newId("f");
  const { label, help } = labelled(spec, id);
  let choices;
  if (spec.kind === "bool") choices = [["true", T.yes], ["false", T.no]];
  else if (spec.kind === "enum") choices = (spec.values || []).map((v) => [v, v]);
  else choices = (ctx.references[spec.section] || []).map((c) => [c.value, `${c.label} (${c.value})`]);
  const current = value === undefined || value === null ? "" : String(value);
  if (current !== "" && !choices.some(([v]) => v === current)) choices.push([current, current]);
  const select = h("select", { id }, h("option", { value: "" }, T.none),
    ...choices.map(([v, text]) => h("option", { value: v, selected: v === current }, text)));
  if (spec.required) select.setAttribute("aria-required", "true");
  select.addEventListener("change", ctx.changed);
  const slot = new Slot([select], help, label);
  select.value = current;
  const get = () => {
    const v = select.value;
    if (v === "") return undefined;
    if (spec.kind === "bool" && (v === "true" || v === "false")) {
      return typeof value === "boolean" || value === undefined || value === null ? v === "true" : v;
    }
    return v;
  };
  return { node: h("div", { className: "field" }, label, help, select, slot.message), get, locate: () => slot };
}

/// A group of fields in a fieldset; geo is one too (its fields are `lat` and `lon`).
function objectField(spec, value, ctx) {
  const { label, help } = labelled(spec);
  const own = isObject(value) ? value : {};
  const children = (spec.fields || []).map((f) => [f.name, field(f, ownValue(own, f.name), ctx)]);
  const fieldset = h("fieldset", { className: "group" }, label, help);
  const slot = new Slot([fieldset], help, label);
  fieldset.append(slot.message, ...children.map(([, f]) => f.node));
  const get = () => {
    const out = withValues(own, children);
    return Object.keys(out).length || isObject(value) ? out : undefined;
  };
  const locate = (path) => {
    const child = children.find(([name]) => name === path[0]);
    return child ? child[1].locate(path.slice(1)) : slot;
  };
  return { node: fieldset, get, locate };
}

/// A list: one field per item, each with buttons to move it up or down and remove it, and a
/// button to add one. Focus follows the item moved, and goes to the new item.
function listField(spec, value, ctx) {
  const { label, help } = labelled(spec);
  const itemSpec = spec.items || { kind: "string" };
  const items = [];
  const list = h("ol", { className: "items" });
  const fieldset = h("fieldset", { className: "group list" }, label, help);
  const slot = new Slot([fieldset], help, label);
  const addButton = h("button", { type: "button", className: "small" }, `${T.add}: ${spec.label}`);
  fieldset.append(slot.message, list, addButton);

  // Each item's buttons say which item they act on (for screen readers: "Su (elemento 2)").
  const render = () => {
    list.replaceChildren(...items.map((item, i) => {
      const number = `${T.item} ${i + 1}`;
      for (const button of [item.up, item.down, item.remove]) button.lastChild.textContent = ` (${number})`;
      item.up.disabled = i === 0;
      item.down.disabled = i === items.length - 1;
      // Items carry no label of their own: the list's label and the item number name them.
      const labelEl = item.field.node.querySelector("label, legend");
      if (labelEl) labelEl.textContent = `${spec.label}, ${number}`;
      return item.node;
    }));
  };
  const button = (text) => h("button", { type: "button", className: "small" }, text, h("span", { className: "sr" }));
  const add = (itemValue) => {
    const item = { up: button(T.up), down: button(T.down), remove: button(T.remove) };
    item.field = field({ ...itemSpec, name: "", label: "", required: false, help: null }, itemValue, ctx);
    item.up.addEventListener("click", () => move(item, -1));
    item.down.addEventListener("click", () => move(item, 1));
    item.remove.addEventListener("click", () => {
      const i = items.indexOf(item);
      items.splice(i, 1);
      render();
      (items[i] ? items[i].remove : items[i - 1] ? items[i - 1].remove : addButton).focus();
      ctx.changed();
    });
    item.node = h("li", { className: "item" }, item.field.node,
      h("div", { className: "item-buttons" }, item.up, item.down, item.remove));
    items.push(item);
    return item;
  };
  const move = (item, by) => {
    const i = items.indexOf(item);
    items.splice(i, 1);
    items.splice(i + by, 0, item);
    render();
    const pressed = by < 0 ? item.up : item.down;
    (pressed.disabled ? (by < 0 ? item.down : item.up) : pressed).focus();
    ctx.changed();
  };
  addButton.addEventListener("click", () => {
    const item = add(undefined);
    render();
    const first = item.node.querySelector("input, select, textarea, button");
    if (first) first.focus();
    ctx.changed();
  });
  (Array.isArray(value) ? value : []).forEach((v) => add(v));
  render();

  const empty = itemSpec.kind === "object" || itemSpec.kind === "geo" ? {} : "";
  const get = () => {
    const out = items.map((item) => { const v = item.field.get(); return v === undefined ? empty : v; });
    return out.length || Array.isArray(value) ? out : undefined;
  };
  const locate = (path) => {
    const item = typeof path[0] === "number" ? items[path[0]] : undefined;
    return item ? item.field.locate(path.slice(1)) : slot;
  };
  return { node: fieldset, get, locate };
}

/// Opening hours: a row per weekday with "closed" and one input per time slot.
function hoursField(spec, value, ctx) {
  const { label, help } = labelled(spec);
  const own = isObject(value) ? value : {};
  const fieldset = h("fieldset", { className: "group hours" }, label, help);
  const slot = new Slot([fieldset], help, label);
  fieldset.append(slot.message);
  const days = DAYS.map((key, d) => {
    const original = own[key];
    const isClosed = (v) => typeof v === "string" && /^(closed|chiuso)$/.test(v.trim());
    const day = { key, original, inputs: [] };
    const dayName = T.days[d];
    const legend = h("legend", {}, dayName);
    const closedBox = h("input", { type: "checkbox", id: newId("f"), checked: isClosed(original) });
    const closedLabel = h("label", { for: closedBox.id }, T.closed);
    const slots = h("div", { className: "slots" });
    const daySet = h("fieldset", { className: "day" }, legend);
    day.slot = new Slot([daySet], null, `${spec.label}, ${dayName}`);
    const addSlot = h("button", { type: "button", className: "small" }, T.addSlot, h("span", { className: "sr" }, ` (${dayName})`));
    const renumber = () => day.inputs.forEach((entry, i) => {
      entry.label.textContent = `${T.slot} ${i + 1}`;
      entry.remove.lastChild.textContent = ` (${dayName}, ${T.slot.toLowerCase()} ${i + 1})`;
    });
    const addInput = (text) => {
      const input = h("input", { type: "text", id: newId("f"), value: text, placeholder: "09:00-13:00", size: 12, autocomplete: "off" });
      const entry = { input, label: h("label", { for: input.id }), remove: h("button", { type: "button", className: "small" }, T.removeSlot, h("span", { className: "sr" })) };
      entry.slot = new Slot([input], null, `${spec.label}, ${dayName}`);
      input.addEventListener("input", ctx.changed);
      entry.remove.addEventListener("click", () => {
        const i = day.inputs.indexOf(entry);
        day.inputs.splice(i, 1);
        entry.node.remove();
        renumber();
        (day.inputs[i] ? day.inputs[i].input : day.inputs[i - 1] ? day.inputs[i - 1].remove : addSlot).focus();
        ctx.changed();
      });
      entry.node = h("div", { className: "slot" }, entry.label, input, entry.remove, entry.slot.message);
      day.inputs.push(entry);
      slots.append(entry.node);
      renumber();
      return entry;
    };
    const texts = isClosed(original) || original === undefined || original === null ? []
      : Array.isArray(original) ? original : [original];
    texts.forEach((v) => addInput(typeof v === "string" ? v : JSON.stringify(v)));
    addSlot.addEventListener("click", () => { addInput("").input.focus(); ctx.changed(); });
    const sync = () => {
      slots.hidden = closedBox.checked;
      addSlot.hidden = closedBox.checked;
    };
    closedBox.addEventListener("change", () => { sync(); ctx.changed(); });
    sync();
    daySet.append(day.slot.message, h("div", { className: "closed" }, closedBox, closedLabel), slots, addSlot);
    day.node = daySet;
    day.get = () => {
      if (closedBox.checked) return isClosed(original) ? original : "closed";
      const values = day.inputs.map((e) => e.input.value.trim()).filter((v) => v !== "");
      if (values.length === 0) return undefined;
      if (values.length === 1 && !Array.isArray(original)) return values[0];
      return values;
    };
    day.locate = (path) => (typeof path[0] === "number" && day.inputs[path[0]] ? day.inputs[path[0]].slot : day.slot);
    return day;
  });
  fieldset.append(h("div", { className: "week" }, ...days.map((d) => d.node)));
  const get = () => {
    // Keys that are not days stay as they are, for the server to report.
    const out = withValues(own, days.map((day) => [day.key, day]));
    return Object.keys(out).length || isObject(value) ? out : undefined;
  };
  const locate = (path) => {
    const day = days.find((d) => d.key === path[0]);
    return day ? day.locate(path.slice(1)) : slot;
  };
  return { node: fieldset, get, locate };
}

// ---- The edit view -----------------------------------------------------------------------

const state = { version: "", saved: "", dirty: false, seq: 0, timer: 0, shown: [], url: null };
const $ = (id) => document.getElementById(id);

/// Shows `text` (and more nodes) in the alert region; empty clears it.
function notify(kind, ...nodes) {
  const notice = $("notice");
  notice.className = `notice ${kind}`;
  notice.replaceChildren(...nodes);
}

async function openEditor() {
  document.title = `${T.edit}: ${PAGE} – wemi`;
  $("heading").replaceChildren(`${T.edit} `, h("code", {}, PAGE));
  const answer = await api("GET", `api/page?page=${encodeURIComponent(PAGE)}`);
  if (answer.status !== 200) {
    notify("bad", h("p", {}, answer.json.errors ? answer.json.errors.map((e) => problemText(e, true)).join(" ") : failure(answer)));
    return;
  }
  const page = answer.json;
  state.version = page.version;
  state.url = page.url;
  const ctx = { references: page.references || {}, changed: () => scheduleCheck() };
  const values = isObject(page.values) ? page.values : {};
  const fields = page.fields.map((spec) => [spec.name, field(spec, ownValue(values, spec.name), ctx)]);
  state.fields = fields;
  state.values = values;

  const links = $("links");
  if (page.url) links.append(h("a", { href: page.url }, T.back));
  else links.append(h("p", {}, T.draft));

  const bodyHelp = h("p", { className: "help", id: newId("help") }, T.bodyHelp);
  const body = h("textarea", { id: "body", rows: 18, value: page.body, spellcheck: true });
  const bodySlot = new Slot([body], bodyHelp, T.body);
  body.addEventListener("input", ctx.changed);
  state.body = body;
  state.bodySlot = bodySlot;

  const form = $("form");
  form.append(h("div", { className: "fields" }, ...fields.map(([, f]) => f.node)),
    h("div", { className: "field body" }, h("label", { for: "body" }, T.body), bodyHelp, body, bodySlot.message),
    uploadPart(body, ctx),
    // The outcome of saving is shown beside the Save button, where the focus is.
    h("div", { className: "actions" }, h("button", { type: "button", id: "save", className: "primary" }, T.save), $("notice")));
  form.addEventListener("submit", (e) => e.preventDefault());
  $("save").addEventListener("click", save);
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); save(); }
  });

  const frame = h("iframe", { id: "preview", sandbox: "allow-same-origin", title: T.preview });
  const previewNone = h("p", { id: "preview-none", className: "help", hidden: true }, T.previewNone);
  let scroll = 0;
  frame.addEventListener("load", () => { try { frame.contentWindow.scrollTo(0, scroll); } catch { /* not loaded */ } });
  state.showPreview = (url) => {
    previewNone.hidden = Boolean(url);
    if (!url) return;
    try { scroll = frame.contentWindow.scrollY; } catch { scroll = 0; }
    frame.src = url;
  };
  $("main").append(h("section", { className: "preview", "aria-labelledby": "preview-heading" },
    h("h2", { id: "preview-heading" }, T.preview), previewNone, frame));

  state.saved = JSON.stringify(current());
  window.addEventListener("beforeunload", (e) => {
    if (isDirty()) { e.preventDefault(); e.returnValue = ""; }
  });
  showErrors(page.errors || []);
  check();
}

/// What the form holds now: the values (keys no field shows kept as they came) and the body.
function current() {
  return { values: withValues(state.values, state.fields), body: state.body.value };
}

const isDirty = () => JSON.stringify(current()) !== state.saved;

function scheduleCheck() {
  clearTimeout(state.timer);
  state.timer = setTimeout(check, CHECK_DELAY_MS);
}

/// Sends the whole page to the server's checks; only the answer to the latest request is shown.
async function check() {
  const seq = ++state.seq;
  $("status").textContent = T.checking;
  const answer = await api("POST", "api/check", { page: PAGE, version: state.version, ...current() });
  if (seq !== state.seq) return;
  if (answer.status !== 200) {
    $("status").textContent = answer.json.errors ? "" : failure(answer);
    if (answer.json.errors) showErrors(answer.json.errors);
    return;
  }
  showErrors(answer.json.errors || []);
  state.showPreview(answer.json.preview);
  if (answer.json.conflict) notify("warn", h("p", {}, T.conflictCheck), reloadButtons());
}

/// Places each problem: beside its field, under the body, or in the summary at the top.
function showErrors(errors) {
  for (const slot of state.shown) slot.show([]);
  state.shown = [];
  const bySlot = new Map();
  const pageLevel = [];
  const bodyTexts = [];
  for (const error of errors) {
    if (error.body) { bodyTexts.push(problemText(error, true)); continue; }
    const path = error.field || [];
    const entry = path.length ? state.fields.find(([name]) => name === path[0]) : undefined;
    if (!entry) { pageLevel.push(problemText(error, true)); continue; }
    const slot = entry[1].locate(path.slice(1));
    if (!bySlot.has(slot)) bySlot.set(slot, []);
    bySlot.get(slot).push(problemText(error, false));
  }
  if (bodyTexts.length) bySlot.set(state.bodySlot, bodyTexts);
  for (const [slot, texts] of bySlot) { slot.show(texts); state.shown.push(slot); }
  summarize(errors.length, pageLevel, bySlot);
}

/// The summary at the top: how many problems, the page's own, and a link to each field's.
function summarize(count, pageLevel, bySlot) {
  const status = $("status");
  if (count === 0) { status.replaceChildren(h("p", { className: "ok" }, T.ok)); return; }
  const list = h("ul", {}, ...pageLevel.map((text) => h("li", {}, text)));
  for (const [slot, texts] of bySlot) {
    const target = slot.target();
    if (!target.id) target.id = newId("f");
    const link = h("a", { href: `#${target.id}` }, slot.name() || T.error);
    link.addEventListener("click", (e) => { e.preventDefault(); target.focus(); target.scrollIntoView({ block: "center" }); });
    list.append(h("li", {}, link, `: ${texts.join(" ")}`));
  }
  status.replaceChildren(h("h2", {}, T.pageErrors),
    h("p", {}, count === 1 ? T.errorsOne : t("errorsMany", { n: count })), list);
}

/// The choice after a conflict: reload the file from disk (losing the changes here), or keep
/// editing. Never overwrites the file.
function reloadButtons() {
  const reload = h("button", { type: "button" }, T.reload);
  const keep = h("button", { type: "button" }, T.keep);
  reload.addEventListener("click", () => {
    if (!window.confirm(T.reloadSure)) return;
    state.saved = JSON.stringify(current());
    window.location.reload();
  });
  keep.addEventListener("click", () => { notify(""); $("save").focus(); });
  return h("p", { className: "buttons" }, reload, " ", keep);
}

async function save() {
  const button = $("save");
  if (button.disabled) return;
  clearTimeout(state.timer);
  button.disabled = true;
  button.textContent = T.saving;
  const sent = current();
  const answer = await api("POST", "api/save", { page: PAGE, version: state.version, ...sent });
  button.disabled = false;
  button.textContent = T.save;
  if (answer.status === 200) {
    state.version = answer.json.version;
    state.saved = JSON.stringify(sent);
    const url = answer.json.url || state.url;
    notify("good", h("p", {}, `${T.saved} `, url ? h("a", { href: url }, T.viewPage) : T.draft));
    check();
  } else if (answer.status === 409) {
    notify("bad", h("p", {}, T.conflict), reloadButtons());
    if (answer.json.errors && answer.json.errors.length) showErrors(answer.json.errors);
  } else if (answer.status === 422) {
    showErrors(answer.json.errors || []);
    notify("bad", h("p", {}, T.notSaved));
  } else {
    notify("bad", h("p", {}, answer.json.errors ? answer.json.errors.map((e) => problemText(e, true)).join(" ") : failure(answer)));
  }
  button.focus();
}

/// Image upload: a file and its alternative text (required), sent beside the page; the
/// markdown the server returns goes in the body at the cursor.
function uploadPart(body, ctx) {
  const fileInput = h("input", { type: "file", id: "image-file", accept: "image/jpeg,image/png,image/webp" });
  const altHelp = h("p", { className: "help", id: newId("help") }, T.altHelp);
  const alt = h("input", { type: "text", id: "image-alt", "aria-required": "true", "aria-describedby": altHelp.id, autocomplete: "off" });
  const fileSlot = new Slot([fileInput], null, T.file);
  const altSlot = new Slot([alt], altHelp, T.alt);
  const message = h("div", { className: "upload-status", role: "status" });
  const button = h("button", { type: "button", id: "image-upload" }, T.upload);
  button.addEventListener("click", async () => {
    fileSlot.show([]); altSlot.show([]); message.textContent = "";
    const file = fileInput.files[0];
    if (!file) { fileSlot.show([T.noFile]); fileInput.focus(); return; }
    const query = `page=${encodeURIComponent(PAGE)}&name=${encodeURIComponent(file.name)}&alt=${encodeURIComponent(alt.value)}`;
    const answer = await api("POST", `api/upload?${query}`, file, file.type || "application/octet-stream");
    if (answer.status === 201) {
      // The image goes in a paragraph of its own: blank lines around it where needed.
      const [start, end] = [body.selectionStart, body.selectionEnd];
      const before = body.value.slice(0, start);
      const after = body.value.slice(end);
      const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
      const tail = after.startsWith("\n\n") ? "" : after.startsWith("\n") || after === "" ? "\n" : "\n\n";
      body.setRangeText(lead + answer.json.markdown + tail, start, end, "end");
      message.textContent = t("uploaded", { f: answer.json.file });
      fileInput.value = ""; alt.value = "";
      ctx.changed();
      return;
    }
    const errors = answer.json.errors || [];
    const texts = errors.map((e) => problemText(e, false));
    const aboutAlt = errors.some((e) => /alt/i.test(e.code) || (e.field || []).includes("alt"));
    if (texts.length) (aboutAlt ? altSlot : fileSlot).show(texts);
    else fileSlot.show([failure(answer)]);
    (aboutAlt ? alt : fileInput).focus();
  });
  const fileLabel = h("label", { for: fileInput.id }, T.file);
  const altLabel = h("label", { for: alt.id }, T.alt, " ", h("span", { className: "required" }, `(${T.required})`));
  return h("fieldset", { className: "group upload" }, h("legend", {}, T.image),
    h("div", { className: "field" }, fileLabel, fileInput, fileSlot.message),
    h("div", { className: "field" }, altLabel, altHelp, alt, altSlot.message),
    button, message);
}

// ---- The new page view --------------------------------------------------------------------

function openNew() {
  document.title = `${T.newPage}: ${PAGE} – wemi`;
  $("heading").replaceChildren(`${T.newPage} ${T.inSection} `, h("code", {}, PAGE));
  const spec = { name: "title", label: T.title, help: T.titleHelp, required: true, kind: "string" };
  const title = field(spec, undefined, { references: {}, changed: () => {} });
  const create = h("button", { type: "button", className: "primary", id: "create" }, T.create);
  const form = $("form");
  form.append(title.node, h("div", { className: "actions" }, create, $("notice")));
  const run = async () => {
    const answer = await api("POST", "api/new", { section: PAGE, title: title.get() || "" });
    if (answer.status === 201) {
      window.location.href = `?page=${encodeURIComponent(answer.json.page)}`;
      return;
    }
    const errors = answer.json.errors || [];
    const slot = title.locate([]);
    slot.show(errors.length ? errors.map((e) => problemText(e, false)) : [failure(answer)]);
    notify("bad", h("p", {}, errors.length === 1 ? T.errorsOne : t("errorsMany", { n: errors.length || 1 })));
    slot.target().focus();
  };
  create.addEventListener("click", run);
  form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
  form.querySelector("input").focus();
}

if (MODE === "new") openNew();
else openEditor();
