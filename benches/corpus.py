#!/usr/bin/env python3
"""Writes a WeMi-like site for the benchmarks: spaces and news in Italian, the same for a seed.

    python3 benches/corpus.py --pages N --out DIR [--flavor wemi|hugo] [--seed S]

About 10% of the pages are spaces (`content/spazi/`), the rest news (`content/notizie/`), each
with YAML front matter matching the schemas of benches/site/site.yaml and a markdown body of
300 to 800 words (headings, lists, emphasis, links, quotes, some tables of opening hours).
Spaces belong to a `municipio` (1 to 9) and offer `servizi`: the two taxonomies. A news item
names its space (`spazio`, a reference) and has `tags` and a `summary`.

The content is a function of --pages and --seed only; the flavor decides what goes around it:

wemi  benches/site/site.yaml and benches/site/themes/, and the section files' listing keys
      (notizie: paginate_by 10, sort_by date, feed; spazi: sort_by title).
hugo  benches/hugo/ (hugo.toml and layouts/ that render the same pages) and an RSS output for
      the notizie section.

Prints one JSON line (pages, spaces, news, markdown bytes). Stdlib only.
"""
import argparse
import json
import os
import random
import re
import shutil
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
# What each flavor copies next to content/.
FLAVOR_FILES = {
    "wemi": (os.path.join(HERE, "site"), ["site.yaml", "themes"]),
    "hugo": (os.path.join(HERE, "hugo"), ["hugo.toml", "layouts"]),
}
# Front matter of the section files, beyond the title, per flavor.
SECTION_KEYS = {
    "wemi": {"notizie": {"paginate_by": 10, "sort_by": "date", "feed": True}, "spazi": {"sort_by": "title"}},
    "hugo": {"notizie": {"outputs": ["html", "rss"]}},
}
DEFAULT_SEED = 13

# Neighbourhoods of Milan and their municipio.
QUARTIERI = {
    "Brera": 1, "Porta Venezia": 1, "Centrale": 2, "Greco": 2, "Gorla": 2, "Turro": 2,
    "Crescenzago": 2, "Città Studi": 3, "Lambrate": 3, "Ortica": 4, "Corvetto": 4,
    "Rogoredo": 4, "Ponte Lambro": 4, "Vigentino": 5, "Gratosoglio": 5, "Chiesa Rossa": 5,
    "Barona": 6, "Giambellino": 6, "Lorenteggio": 6, "Navigli": 6, "Baggio": 7, "San Siro": 7,
    "Quinto Romano": 7, "Gallaratese": 8, "Quarto Oggiaro": 8, "QT8": 8, "Villapizzone": 8,
    "Niguarda": 9, "Affori": 9, "Bovisa": 9, "Dergano": 9, "Comasina": 9, "Isola": 9,
}
STRADE = ["Via Padova", "Viale Monza", "Via Giambellino", "Via dei Cinquecento", "Piazza Prealpi",
          "Via Val di Ledro", "Via Rubattino", "Via Borsieri", "Viale Lombardia", "Via Lessona",
          "Via Gola", "Via Dini", "Via Ornato", "Via Mompiani", "Piazzale Selinunte"]
# Who runs a space, with the article the text needs.
GESTORI = [("la ", "Cooperativa Sociale Il Girasole"), ("la ", "Fondazione Casa della Carità"),
           ("la ", "Cooperativa Ponte"), ("l'", "Associazione Vicini di Casa"),
           ("il ", "Consorzio Città Solidale"), ("la ", "Cooperativa La Rete"),
           ("la ", "Fondazione Aiutare i Bambini"), ("le ", "ACLI Milanesi"),
           ("la ", "Cooperativa Lavoro e Cura")]
# Taxonomy terms: lower-case words joined by spaces, so that the term's slug is the words joined
# by "-" (both themes write term links that way).
SERVIZI = ["assistenza domiciliare", "badanti", "colf", "tate", "custodia sociale",
           "orientamento", "sostegno educativo", "pasti a domicilio", "trasporto sociale",
           "consulenza contrattuale", "sollievo per caregiver", "spazio compiti"]
TAGS = ["anziani", "famiglie", "caregiver", "infanzia", "lavoro domestico", "bandi", "eventi",
        "formazione", "sportelli", "disabilità", "volontariato", "quartiere"]
TITOLI_NOTIZIE = ["Nuovo sportello di {s} a {q}", "{q}: lo spazio WeMi apre anche il sabato",
                  "Incontro sul tema {s} nel Municipio {m}", "Bando {anno} per i servizi di {s}",
                  "Giornata aperta allo spazio WeMi {q}", "Corso gratuito di {s} a {q}",
                  "Cambiano gli orari dello spazio WeMi {q}", "A {q} un laboratorio per caregiver"]

# Sentences are a subject, a verb, an object and sometimes a complement.
SOGGETTI = ["Lo spazio WeMi di {q}", "Il servizio", "La cooperativa", "Il Comune di Milano",
            "L'operatrice dello sportello", "La rete dei custodi sociali", "Ogni famiglia",
            "Il Municipio {m}", "Il gruppo di volontari", "{g}"]
VERBI = ["offre", "organizza", "propone", "coordina", "accompagna", "sostiene", "presenta",
         "mette a disposizione", "promuove", "raccoglie", "segue", "aggiorna"]
OGGETTI = ["un primo colloquio gratuito", "percorsi di orientamento per le famiglie",
           "incontri sul lavoro di cura", "la ricerca di una badante", "il servizio di {s}",
           "le richieste dei cittadini", "un calendario di attività per gli anziani",
           "momenti di ascolto per chi assiste un familiare", "le pratiche per il contratto di lavoro",
           "un aiuto concreto nella vita di tutti i giorni", "le iniziative del quartiere"]
COMPLEMENTI = ["nel quartiere di {q}", "dal lunedì al venerdì", "su appuntamento", "ogni settimana",
               "in collaborazione con {g}", "durante tutto l'anno", "con personale qualificato",
               "senza costi per le famiglie", "nelle sedi del Municipio {m}"]
TITOLI_PARAGRAFI = ["Come funziona", "A chi si rivolge", "Orari e contatti", "Servizi offerti",
                    "Come accedere", "Documenti necessari", "Il progetto", "Domande frequenti"]
LINK = [("il portale WeMi", "https://wemi.comune.milano.it/"),
        ("il sito del Comune", "https://www.comune.milano.it/"),
        ("le domande frequenti", "https://wemi.comune.milano.it/faq")]
GIORNI = ["Lunedì", "Martedì", "Mercoledì", "Giovedì", "Venerdì", "Sabato"]


def slugify(text):
    """ASCII letters and digits joined by single hyphens, as wemi and Hugo name the pages."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class Writer:
    """Markdown text drawn from one random generator, about one place (`ctx`: q, m, g)."""

    def __init__(self, rng, ctx):
        self.rng = rng
        self.ctx = ctx

    def fill(self, pattern):
        return pattern.format(s=self.rng.choice(SERVIZI), **self.ctx)

    def sentence(self, markup=True):
        r = self.rng
        words = [self.fill(r.choice(SOGGETTI)), r.choice(VERBI), self.fill(r.choice(OGGETTI))]
        if r.random() < 0.6:
            words.append(self.fill(r.choice(COMPLEMENTI)))
        if markup:
            k = r.random()
            if k < 0.15:
                words[2] = "*%s*" % words[2]
            elif k < 0.25:
                words[1] = "**%s**" % words[1]
            elif k < 0.35:
                words.append("(vedi [%s](%s))" % r.choice(LINK))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def block(self):
        """A list, a numbered list, a quote or nothing."""
        r = self.rng
        k = r.random()
        if k < 0.3:
            return "\n".join("- " + s.capitalize() for s in r.sample(SERVIZI, r.randint(3, 6)))
        if k < 0.5:
            return "\n".join("%d. %s" % (i, self.sentence()) for i in range(1, r.randint(3, 5) + 1))
        if k < 0.6:
            return "> " + self.sentence()
        return None

    def hours(self):
        rows = ["| Giorno | Orario | Servizio |", "|---|---|---|"]
        for day in sorted(self.rng.sample(GIORNI, self.rng.randint(3, 5)), key=GIORNI.index):
            start = self.rng.randint(8, 15)
            rows.append("| %s | %d:00–%d:00 | %s |" % (day, start, start + self.rng.randint(2, 4),
                                                       self.rng.choice(SERVIZI)))
        return "\n".join(rows)

    def body(self, table):
        r = self.rng
        words = r.randint(300, 800)
        parts = [self.paragraph()]
        while sum(len(p.split()) for p in parts) < words:
            parts.append("## " + r.choice(TITOLI_PARAGRAFI))
            parts.extend(self.paragraph() for _ in range(r.randint(1, 3)))
            extra = self.block()
            if extra:
                parts.append(extra)
            if table:
                parts.append(self.hours())
                table = False
            if r.random() < 0.25:
                parts += ["### Per saperne di più", self.paragraph()]
        return "\n\n".join(parts) + "\n"


def day(rng, first_year, last_year):
    return "%04d-%02d-%02d" % (rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def make_pages(pages, seed):
    """The site's pages as (section, slug, front matter dict, markdown body), one at a time: the
    bodies of a million pages would not fit in memory together."""
    rng = random.Random(seed)
    quartieri = sorted(QUARTIERI)
    n_spazi = max(1, pages // 10)
    spazi = []
    for i in range(n_spazi):
        q = quartieri[i % len(quartieri)]
        article, gestore = rng.choice(GESTORI)
        ctx = {"q": q, "m": QUARTIERI[q], "g": article + gestore}
        fields = {
            "title": "WeMi %s %d" % (q, i + 1),
            "date": day(rng, 2016, 2024),
            "address": "%s %d, Milano" % (rng.choice(STRADE), rng.randint(1, 200)),
            "municipio": ctx["m"],
            "gestore": gestore,
            "servizi": sorted(rng.sample(SERVIZI, rng.randint(1, 4))),
            "lat": round(rng.uniform(45.40, 45.54), 6),
            "lon": round(rng.uniform(9.08, 9.26), 6),
        }
        body = Writer(rng, ctx).body(table=rng.random() < 0.4)
        spazi.append((slugify(fields["title"]), fields, ctx))
        yield "spazi", spazi[-1][0], fields, body
    for i in range(pages - n_spazi):
        spazio, space_fields, ctx = rng.choice(spazi)
        anno = rng.randint(2019, 2025)
        title = rng.choice(TITOLI_NOTIZIE).format(s=rng.choice(SERVIZI), anno=anno, **ctx)
        writer = Writer(rng, ctx)
        fields = {
            "title": title,
            "date": day(rng, anno, anno),
            "municipio": space_fields["municipio"],
            "tags": sorted(rng.sample(TAGS, rng.randint(1, 3))),
            "spazio": spazio,
            "summary": writer.sentence(markup=False),
        }
        slug = "%s-%d" % (slugify(title)[:60].rstrip("-"), i + 1)
        yield "notizie", slug, fields, writer.body(table=rng.random() < 0.15)


def yaml_value(value):
    """A YAML scalar or flow list: JSON is YAML; keeps accented letters readable."""
    return json.dumps(value, ensure_ascii=False)


def front_matter(fields):
    return "---\n" + "".join("%s: %s\n" % (k, yaml_value(v)) for k, v in fields.items()) + "---\n"


SECTIONS = {
    "": ("WeMi Milano", "La rete degli spazi WeMi: servizi di cura e di assistenza per le famiglie di Milano."),
    "spazi": ("Spazi WeMi", "Gli spazi WeMi aperti nei quartieri della città."),
    "notizie": ("Notizie", "Le ultime notizie dalla rete WeMi."),
}


def write_site(out, pages, flavor, seed=DEFAULT_SEED):
    """Writes the site into `out` (which must not exist or be empty); returns its figures."""
    if os.path.isdir(out) and os.listdir(out):
        raise ValueError("%s is not empty" % out)
    content = os.path.join(out, "content")
    for section, (title, text) in SECTIONS.items():
        fields = {"title": title, **SECTION_KEYS[flavor].get(section, {})}
        write(os.path.join(content, section, "_index.md"), front_matter(fields) + "\n" + text + "\n")
    md_bytes, counts = 0, {"spazi": 0, "notizie": 0}
    for section, slug, fields, body in make_pages(pages, seed):
        text = front_matter(fields) + "\n" + body
        write(os.path.join(content, section, slug + ".md"), text)
        md_bytes += len(text.encode())
        counts[section] += 1
    copy_flavor_files(out, flavor)
    return {"flavor": flavor, "pages": pages, "seed": seed, "spazi": counts["spazi"],
            "notizie": counts["notizie"], "md_bytes": md_bytes}


def copy_flavor_files(out, flavor):
    """Copies (again) the files of `flavor` that go next to content/."""
    source, names = FLAVOR_FILES[flavor]
    for name in names:
        src, dst = os.path.join(source, name), os.path.join(out, name)
        if os.path.isdir(src):
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, required=True, help="number of pages (spaces + news)")
    ap.add_argument("--out", required=True, help="the site folder to write (must not exist or be empty)")
    ap.add_argument("--flavor", choices=sorted(FLAVOR_FILES), default="wemi")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    a = ap.parse_args()
    if a.pages < 1:
        sys.exit("corpus.py: --pages must be at least 1")
    try:
        print(json.dumps(write_site(a.out, a.pages, a.flavor, a.seed)))
    except ValueError as e:
        sys.exit("corpus.py: %s" % e)


if __name__ == "__main__":
    main()
