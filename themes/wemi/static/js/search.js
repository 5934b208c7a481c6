// WeMi search: answers the query in the `q` parameter of the search page from the index that
// wemi writes at build time (search/<lang>/, see src/generated/search/). It downloads the
// manifest, the term chunks of the query's words and the document files of the results it
// shows, never the whole index. Words are folded and stemmed exactly as the index was made:
// the stemmer below is the Snowball Italian one, step by step as in
// src/generated/search/stem.rs (a test runs both on the same words).
(() => {
  "use strict";

  // --- words and terms (as src/generated/search/words.rs) -----------------------------------
  const MAX_WORD = 40;

  const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

  const words = (text) =>
    text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((w) => Array.from(fold(w)).slice(0, MAX_WORD).join(""));

  // --- the Snowball Italian stemmer (as src/generated/search/stem.rs) -----------------------
  const VOWELS = "aeiouàèìòù";
  const isVowel = (c) => c !== undefined && VOWELS.includes(c);
  const PRONOUNS = ("ci gli la le li lo mi ne si ti vi sene gliela gliele glieli glielo gliene " +
    "mela mele meli melo mene tela tele teli telo tene cela cele celi celo cene vela vele veli " +
    "velo vene").split(" ");
  const STANDARD = {
    delete: "anza anze ico ici ica ice iche ichi ismo ismi abile abili ibile ibili ista iste isti " +
      "istà istè istì oso osi osa ose mente atrice atrici ante anti",
    azione: "azione azioni atore atori",
    logia: "logia logie",
    uzione: "uzione uzioni usione usioni",
    enza: "enza enze",
    amento: "amento amenti imento imenti",
    amente: "amente",
    ita: "ità",
    ivo: "ivo ivi iva ive",
  };
  const STANDARD_KIND = new Map();
  for (const [kind, list] of Object.entries(STANDARD)) {
    for (const suffix of list.split(" ")) STANDARD_KIND.set(suffix, kind);
  }
  const VERB = ("ammo ando ano are arono asse assero assi assimo ata ate ati ato ava avamo avano " +
    "avate avi avo emmo enda ende endi endo erà erai eranno ere erebbe erebbero erei eremmo eremo " +
    "ereste eresti erete erò erono essero ete eva evamo evano evate evi evo iamo immo irà irai " +
    "iranno ire irebbe irebbero irei iremmo iremo ireste iresti irete irò irono isca iscano isce " +
    "isci isco iscono issero ita ite iti ito iva ivamo ivano ivate ivi ivo ono uta ute uti uto ar " +
    "ir").split(" ");

  const stem = (word) => {
    const ACUTE = { "á": "à", "é": "è", "í": "ì", "ó": "ò", "ú": "ù" };
    let w = Array.from(word, (c) => ACUTE[c] || c);
    for (let i = 1; i < w.length; i++) if (w[i] === "u" && w[i - 1] === "q") w[i] = "U";
    for (let i = 0; i + 2 < w.length; i++) {
      if (isVowel(w[i]) && (w[i + 1] === "u" || w[i + 1] === "i") && isVowel(w[i + 2])) {
        w[i + 1] = w[i + 1].toUpperCase();
      }
    }
    const len = w.length;
    const v = (i) => i < len && isVowel(w[i]);
    const consonant = (i) => i < len && !isVowel(w[i]);
    const past = (from, test) => {
      for (let i = from; i < len; i++) if (test(i)) return i + 1;
      return null;
    };
    let rv = null;
    if (v(0)) rv = consonant(1) ? past(2, v) : v(1) ? past(2, consonant) : null;
    else if (w.slice(0, 5).join("") === "divan") rv = 5;
    else if (consonant(0)) rv = consonant(1) ? past(2, v) : v(1) && len >= 3 ? 3 : null;
    let r1 = past(0, v);
    r1 = r1 === null ? null : past(r1, consonant);
    let r2 = r1 === null ? null : past(r1, v);
    r2 = r2 === null ? null : past(r2, consonant);
    [rv, r1, r2] = [rv ?? len, r1 ?? len, r2 ?? len];

    const text = () => w.join("");
    const endsWith = (s) => text().endsWith(s);
    const startOf = (s) => w.length - Array.from(s).length;
    const longest = (list, from, chars = w) => {
      const t = chars.join("");
      let best = null;
      for (const s of list) {
        if (t.endsWith(s) && chars.length - Array.from(s).length >= from &&
          (best === null || s.length > best.length)) best = s;
      }
      return best;
    };
    const cut = (s) => { w = w.slice(0, w.length - Array.from(s).length); };
    const replace = (s, by) => { cut(s); w = w.concat(Array.from(by)); };
    const deleteIn = (s, region) => {
      if (endsWith(s) && startOf(s) >= region) { cut(s); return true; }
      return false;
    };

    // attached pronoun
    const pronoun = longest(PRONOUNS, 0);
    if (pronoun !== null) {
      const before = w.slice(0, startOf(pronoun));
      const ending = longest(["ando", "endo", "ar", "er", "ir"], 0, before);
      if (ending !== null && before.length - ending.length >= rv) {
        if (ending.endsWith("do")) cut(pronoun);
        else replace(pronoun, "e");
      }
    }
    // standard suffix, else verb suffix
    const standard = () => {
      const suffix = longest(STANDARD_KIND.keys(), 0);
      if (suffix === null) return false;
      const kind = STANDARD_KIND.get(suffix);
      const start = startOf(suffix);
      const inR2 = start >= r2;
      if (["delete", "azione", "ita", "ivo"].includes(kind) && inR2) {
        cut(suffix);
        if (kind === "azione") deleteIn("ic", r2);
        if (kind === "ita") {
          const s = longest(["abil", "ic", "iv"], 0);
          if (s !== null) deleteIn(s, r2);
        }
        if (kind === "ivo" && deleteIn("at", r2)) deleteIn("ic", r2);
      } else if (kind === "logia" && inR2) replace(suffix, "log");
      else if (kind === "uzione" && inR2) replace(suffix, "u");
      else if (kind === "enza" && inR2) replace(suffix, "ente");
      else if (kind === "amento" && start >= rv) cut(suffix);
      else if (kind === "amente" && start >= r1) {
        cut(suffix);
        const s = longest(["iv", "os", "ic", "abil"], 0);
        if (s !== null && deleteIn(s, r2) && s === "iv") deleteIn("at", r2);
      } else return false;
      return true;
    };
    if (!standard()) {
      const suffix = longest(VERB, rv);
      if (suffix !== null) cut(suffix);
    }
    // vowel suffix
    const last = w[w.length - 1];
    if (last !== undefined && "aeioàèìò".includes(last) && w.length - 1 >= rv) {
      cut(last);
      deleteIn("i", rv);
    }
    const n = w.length;
    if (n >= 2 && w[n - 1] === "h" && (w[n - 2] === "c" || w[n - 2] === "g") && n - 2 >= rv) cut("h");
    return text().replace(/I/g, "i").replace(/U/g, "u");
  };

  // The index term of a folded word, or null for a stop word.
  const term = (word, manifest) => {
    if (manifest.stemmer !== "it") return word;
    if (manifest.stop_words.includes(word)) return null;
    if (/[0-9]/.test(word)) return word;
    return stem(word);
  };

  // For the test that compares these terms with the index's (tests/browser/search-terms.mjs).
  globalThis.wemiSearchTerms = (text) =>
    words(text).map((w) => term(w, { stemmer: "it", stop_words: [] }));

  // --- the page -------------------------------------------------------------------------------
  const PAGE_SIZE = 10;

  const start = async (box) => {
    const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    const input = document.getElementById(box.dataset.input);
    if (input) input.value = query;
    const status = box.querySelector("[data-search-status]");
    const list = box.querySelector("[data-search-list]");
    const more = box.querySelector("[data-search-more]");
    const say = (template, values = {}) => {
      status.textContent = template.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
    };
    if (!query) return;
    const base = box.dataset.searchIndex;
    const json = async (path, id) => {
      const response = await fetch(base + path + (id ? "?v=" + id : ""));
      if (!response.ok) throw new Error(path);
      return response.json();
    };
    let manifest;
    try {
      manifest = await json("index.json");
    } catch {
      say(box.dataset.msgError);
      return;
    }
    const terms = [...new Set(words(query).map((w) => term(w, manifest)).filter((t) => t !== null))];
    if (terms.length === 0) {
      say(box.dataset.msgNoWords, { q: query });
      return;
    }
    // The chunk of a term: the last one whose first term is not after it.
    const chunkOf = (t) => {
      let low = 0;
      let high = manifest.chunks.length - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if (manifest.chunks[mid] <= t) { found = mid; low = mid + 1; } else high = mid - 1;
      }
      return found;
    };
    const chunks = new Map();
    let scores = null;
    try {
      for (const t of terms) {
        const n = chunkOf(t);
        if (n >= 0 && !chunks.has(n)) chunks.set(n, json(`terms/${n}.json`, manifest.id));
        const postings = n >= 0 ? (await chunks.get(n))[t] || [] : [];
        const found = new Map();
        for (let i = 0, doc = 0; i + 1 < postings.length; i += 2) {
          doc += postings[i];
          found.set(doc, postings[i + 1]);
        }
        // Every word must be found: keep the documents of all terms, adding their weights.
        if (scores === null) scores = found;
        else {
          for (const [doc, score] of scores) {
            if (found.has(doc)) scores.set(doc, score + found.get(doc));
            else scores.delete(doc);
          }
        }
      }
    } catch {
      say(box.dataset.msgError);
      return;
    }
    const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([doc]) => doc);
    say(ranked.length === 1 ? box.dataset.msgOne : box.dataset.msgMany, { n: ranked.length, q: query });
    const files = new Map();
    const docFile = (n) => {
      if (!files.has(n)) files.set(n, json(`docs/${n}.json`, manifest.id));
      return files.get(n);
    };
    let shown = 0;
    const showMore = async () => {
      const next = ranked.slice(shown, shown + PAGE_SIZE);
      shown += next.length;
      const docs = await Promise.all(next.map(async (id) => {
        const group = await docFile(Math.floor(id / manifest.docs_per_file));
        return group[id % manifest.docs_per_file];
      }));
      for (const doc of docs) {
        if (!doc || !doc.url.startsWith("/")) continue;
        const item = document.createElement("li");
        item.className = "search-result";
        const heading = document.createElement("h2");
        heading.className = "search-result__title";
        const link = document.createElement("a");
        link.href = doc.url;
        link.textContent = doc.title;
        heading.append(link);
        item.append(heading);
        if (doc.section) {
          const section = document.createElement("p");
          section.className = "search-result__section";
          section.textContent = doc.section;
          item.append(section);
        }
        if (doc.excerpt) {
          const excerpt = document.createElement("p");
          excerpt.className = "search-result__excerpt";
          excerpt.textContent = doc.excerpt;
          item.append(excerpt);
        }
        list.append(item);
      }
      more.hidden = shown >= ranked.length;
    };
    more.addEventListener("click", () => {
      showMore().catch(() => say(box.dataset.msgError));
    });
    await showMore().catch(() => say(box.dataset.msgError));
  };

  if (typeof document !== "undefined") {
    const box = document.querySelector("[data-search-index]");
    if (box) start(box);
  }
})();
