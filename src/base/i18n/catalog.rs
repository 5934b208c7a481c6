//! The Italian catalog: every English template of a [`msg!`](crate::base::i18n::msg) call, paired with its
//! Italian translation. Plain string pairs only, grouped by the module that writes them; the
//! test in `i18n` checks that each template in `src/` has its pair, with the same
//! placeholders, and that no pair is left unused.

/// English template → Italian template.
pub const CATALOG: &[(&str, &str)] = &[
    // wemi serve.
    (
        "cannot watch this folder for changes: {error}",
        "non riesco a controllare le modifiche di questa cartella: {error}",
    ),
    (
        "cannot make the folder the preview is built into: {error}",
        "non riesco a creare la cartella in cui si costruisce l'anteprima: {error}",
    ),
    (
        "cannot listen on this address: {error}",
        "non riesco ad aprire l'anteprima su questo indirizzo: {error}",
    ),
    (
        "choose another port with --port, e.g. --port 8080",
        "scegli un'altra porta con --port, per esempio --port 8080",
    ),
    (
        "The port {port} is taken: using another one.",
        "La porta {port} è occupata: ne uso un'altra.",
    ),
    (
        "Serving the site at {url} (Ctrl+C to stop)",
        "Anteprima del sito su {url} (Ctrl+C per fermarla)",
    ),
    (
        "Built {pages} and {sections} in {ms} ms ({files}) {changed}",
        "Costruite {pages} e {sections} in {ms} ms ({files}) {changed}",
    ),
    (
        "Updated {page} in {ms} ms; now the rest of the site",
        "Aggiornata {page} in {ms} ms; ora il resto del sito",
    ),
    (
        "Static files changed, nothing to build: {changed}",
        "Cambiati file statici, niente da costruire: {changed}",
    ),
    (
        "cannot open the browser with `{program}`: {error}",
        "non riesco ad aprire il browser con `{program}`: {error}",
    ),
    (
        "open {url} in your browser yourself",
        "apri tu {url} nel browser",
    ),
    (
        "… and {n} more warnings: `wemi check --drafts` lists them all",
        "… e altri {n} avvisi: `wemi check --drafts` li elenca tutti",
    ),
    (
        "Errors: {n}, in {ms} ms: the last good site is still served, with the errors over every page",
        "Errori: {n}, in {ms} ms: resta in anteprima l'ultima versione riuscita, con gli errori sopra ogni pagina",
    ),
    // serve/edit: the editor of wemi serve (guard.rs, mod.rs).
    (
        "cannot start the editor: {error}",
        "non riesco ad avviare l'editor: {error}",
    ),
    (
        "`{page}` is not a page: only `.md` files can be edited",
        "`{page}` non è una pagina: si possono modificare solo i file `.md`",
    ),
    (
        "`{path}` is not a path inside content/",
        "`{path}` non è un percorso dentro content/",
    ),
    (
        "there is no `{path}` in content/ that the editor can open (links are never followed)",
        "in content/ non c'è `{path}` che l'editor possa aprire (i collegamenti simbolici non sono mai seguiti)",
    ),
    (
        "this address is not the editor's",
        "questo indirizzo non è quello dell'editor",
    ),
    (
        "there is no such page of the editor",
        "l'editor non ha questa pagina",
    ),
    (
        "the editor's token is missing or wrong: reload the editor's page",
        "manca il codice dell'editor o è sbagliato: ricarica la pagina dell'editor",
    ),
    (
        "the request does not come from the editor's page",
        "la richiesta non viene dalla pagina dell'editor",
    ),
    (
        "the editor does not accept this type of data",
        "l'editor non accetta questo tipo di dati",
    ),
    (
        "the editor does not take this method here",
        "l'editor non accetta questo metodo qui",
    ),
    (
        "the request does not say how long its body is",
        "la richiesta non dice quanto è lungo il suo contenuto",
    ),
    (
        "the request is larger than the editor takes (at most {mib} MiB)",
        "la richiesta è più grande di quanto l'editor accetti (al massimo {mib} MiB)",
    ),
    (
        "the request took too long to arrive: try again",
        "la richiesta ha impiegato troppo ad arrivare: riprova",
    ),
    (
        "the request ended before its whole body arrived: try again",
        "la richiesta si è interrotta prima che arrivasse tutto il contenuto: riprova",
    ),
    (
        "the request is not what the editor sends: {error}",
        "la richiesta non è come quelle che manda l'editor: {error}",
    ),
    (
        "the page was changed on disk after you opened it: your changes were not saved",
        "la pagina è stata cambiata sul disco dopo che l'hai aperta: le tue modifiche non sono state salvate",
    ),
    (
        "copy your changes, open the page again to see its text now, and make them again",
        "copia le tue modifiche, riapri la pagina per vedere il testo di adesso e rifalle",
    ),
    (
        "cannot read or write the page: {error}",
        "non riesco a leggere o scrivere la pagina: {error}",
    ),
    (
        "the image has no text alternative: it was not added",
        "l'immagine non ha il testo alternativo: non è stata aggiunta",
    ),
    (
        "describe what the image shows, for people who cannot see it",
        "descrivi che cosa mostra l'immagine, per chi non la vede",
    ),
    (
        "this file cannot be added as an image: {reason}",
        "questo file non si può aggiungere come immagine: {reason}",
    ),
    (
        "add a photo saved as JPEG, PNG or WebP",
        "aggiungi una foto salvata come JPEG, PNG o WebP",
    ),
    // serve/edit/form.rs: the browser editor's form.
    (
        "`{field}` is written in a way the editor cannot change in place",
        "`{field}` è scritto in un modo che l'editor non sa modificare senza toccare il resto",
    ),
    (
        "change it in the file with a text editor",
        "modificalo nel file con un editor di testo",
    ),
    // Shared pieces.
    ("did you mean `{best}`?", "forse intendevi `{best}`?"),
    (
        "`{field}`: expected {expected}, found {found}",
        "`{field}`: serve {expected}, trovato {found}",
    ),
    (
        "a group of `key: value` lines",
        "un gruppo di righe `chiave: valore`",
    ),
    ("a list", "una lista"),
    ("a text", "un testo"),
    ("an integer", "un numero intero"),
    ("true or false", "true o false"),
    ("write one of: {values}", "scrivi uno tra: {values}"),
    ("add a line `{key}: …`", "aggiungi una riga `{key}: …`"),
    (
        "`extra` must be a map of keys and values",
        "`extra` deve essere un gruppo di chiavi e valori",
    ),
    (
        "write `extra:` followed by indented `key: value` lines",
        "scrivi `extra:` e sotto, rientrate di qualche spazio, le righe `chiave: valore`",
    ),
    (
        "this symbolic link leads into {place}",
        "questo collegamento simbolico porta in {place}",
    ),
    (
        "remove the link: a link may lead only to files of the site that no other folder publishes",
        "togli il collegamento: può portare solo a file del sito che nessun'altra cartella pubblica",
    ),
    (
        "a hidden file or folder, {name}",
        "un file o una cartella nascosti, {name}",
    ),
    (
        "the output folder, {name}/",
        "la cartella di uscita, {name}/",
    ),
    (
        "{name}, which the build reads on its own",
        "{name}, che la compilazione legge già per conto suo",
    ),
    (
        "a name ending in `.wemi-tmp`, `.wemi-old` or `.wemi-new` is kept for the files wemi writes",
        "un nome che finisce in `.wemi-tmp`, `.wemi-old` o `.wemi-new` è riservato ai file che wemi scrive",
    ),
    (
        "wemi reads markdown only from files whose names end in `.md`, in lower case: this one would be published as it is, its text unrendered",
        "wemi legge il markdown solo dai file il cui nome finisce in `.md`, in minuscolo: questo sarebbe pubblicato così com'è, con il testo non convertito",
    ),
    ("rename it to `{name}`", "rinominalo in `{name}`"),
    (
        "`{segment}` is longer than {max} bytes, which not every host can hold as a file name",
        "`{segment}` è più lungo di {max} byte, e non tutti gli hosting lo accettano come nome di file",
    ),
    (
        "{origin} would be written to {path}, where precompression writes the compressed copy of {first} ({first_origin})",
        "{origin} verrebbe scritto in {path}, dove la precompressione scrive la copia compressa di {first} ({first_origin})",
    ),
    (
        "the image is cut short: its file has less than the {width}×{height} pixels it declares",
        "l'immagine è troncata: il file contiene meno dei {width}×{height} pixel che dichiara",
    ),
    (
        "the output `{path}` is a file a browser runs scripts from, and its template `{template}` escapes nothing it prints",
        "l'output `{path}` è un file da cui il browser esegue script, e il suo template `{template}` non protegge nulla di ciò che stampa",
    ),
    (
        "give it a template whose name ends in .html or .xml, or a path of the template's own type, such as spazi/spazi.csv",
        "dagli un template il cui nome finisce in .html o .xml, oppure un percorso del tipo del template, come spazi/spazi.csv",
    ),
    (
        "content/{section}/ is a symbolic link that leads out of content/",
        "content/{section}/ è un collegamento simbolico che porta fuori da content/",
    ),
    (
        "create the page in a section that is a folder of content/",
        "crea la pagina in una sezione che sia una cartella di content/",
    ),
    (
        "the schemas' folder is a symbolic link",
        "la cartella degli schemi è un collegamento simbolico",
    ),
    (
        "`base_url` holds a user name or password (before `@`): every page, feed and sitemap would publish it, found `{url}`",
        "`base_url` contiene un nome utente o una password (prima di `@`): ogni pagina, feed e sitemap li pubblicherebbe, trovato `{url}`",
    ),
    (
        "wemi keeps its state here, and this is a symbolic link",
        "wemi tiene qui il suo stato, e questo è un collegamento simbolico",
    ),
    (
        "remove the link (wemi makes what it needs again): wemi never writes through links",
        "togli il collegamento (wemi ricrea ciò che gli serve): wemi non scrive mai attraverso un collegamento",
    ),
    (
        "`template` must name an HTML template (ending in `.html`), found `{template}`",
        "`template` deve indicare un template HTML (che finisce in `.html`), trovato `{template}`",
    ),
    (
        "name one of the theme's page templates, e.g. `template: page.html`, or remove the line",
        "indica uno dei template di pagina del tema, ad esempio `template: page.html`, oppure togli la riga",
    ),
    // yaml.rs
    ("unknown key `{key}`", "chiave sconosciuta `{key}`"),
    (
        "the known keys are: {keys}",
        "le chiavi previste sono: {keys}",
    ),
    (
        "the required key `{key}` is missing",
        "manca la chiave obbligatoria `{key}`",
    ),
    (
        "the key `{key}` appears twice",
        "la chiave `{key}` compare due volte",
    ),
    (
        "each key may appear only once: remove or merge the repeated one",
        "ogni chiave può comparire una volta sola: togli quella ripetuta o unisci le due",
    ),
    (
        "check the value written after `{field}:`",
        "controlla il valore scritto dopo `{field}:`",
    ),
    (
        "`{field}`: `{found}` is not one of {values}",
        "`{field}`: `{found}` non è uno tra {values}",
    ),
    (
        "`{field}`: `{value}` is not a valid date",
        "`{field}`: `{value}` non è una data valida",
    ),
    (
        "`{field}`: `{value}` is not a valid date and time",
        "`{field}`: `{value}` non è una data e ora valida",
    ),
    (
        "write a date like 2018-10-26 or 2018-10-26T17:00:00+02:00",
        "scrivi una data come 2018-10-26 oppure 2018-10-26T17:00:00+02:00",
    ),
    (
        "a value contains `: ` without quotes",
        "un valore contiene `: ` senza virgolette",
    ),
    (
        "a value containing `: ` must be quoted, e.g. title: \"Orari: dalle 9\"",
        "un valore che contiene `: ` va scritto tra virgolette, per esempio title: \"Orari: dalle 9\"",
    ),
    (
        "the YAML is not valid: {detail}",
        "lo YAML non è valido: {detail}",
    ),
    (
        "check the indentation and the quotes on this line",
        "controlla i rientri e le virgolette di questa riga",
    ),
    ("string {value}", "il testo {value}"),
    ("integer {value}", "il numero intero {value}"),
    ("floating point {value}", "il numero decimale {value}"),
    ("boolean {value}", "il valore {value}"),
    ("map", "un gruppo di righe `chiave: valore`"),
    ("sequence", "una lista"),
    ("unit value", "un valore vuoto"),
    (
        "the aliases (`*…`) of this YAML repeat its values too many times",
        "gli alias (`*…`) di questo YAML ripetono i suoi valori troppe volte",
    ),
    (
        "with its aliases repeated, a YAML text may hold at most {values} more values and {megabytes} MB more text: use fewer aliases, or write the values out",
        "con gli alias ripetuti, un testo YAML può contenere al massimo {values} valori e {megabytes} MB di testo in più: usa meno alias, oppure scrivi i valori per esteso",
    ),
    (
        "this line holds an invisible control character",
        "questa riga contiene un carattere di controllo invisibile",
    ),
    (
        "delete it: it often comes with text pasted from another program",
        "cancellalo: spesso arriva con un testo incollato da un altro programma",
    ),
    (
        "the quotes opened here are never closed",
        "le virgolette aperte qui non vengono mai chiuse",
    ),
    (
        "the `{open}` opened here is never closed",
        "la `{open}` aperta qui non viene mai chiusa",
    ),
    (
        "close it with `{close}` after its last item, and put a `,` between items",
        "chiudila con `{close}` dopo l'ultimo elemento, e metti una `,` tra gli elementi",
    ),
    (
        "close them at the end of the text; a quote inside it is written \\\" between \" \" or '' between ' '",
        "chiudile alla fine del testo; una virgoletta al suo interno si scrive \\\" tra \" \" oppure '' tra ' '",
    ),
    (
        "this line is indented with a tab",
        "questa riga è rientrata con un tab",
    ),
    (
        "YAML indents with spaces only: replace the tab with spaces",
        "in YAML i rientri si fanno solo con spazi: sostituisci il tab con degli spazi",
    ),
    (
        "lists and maps are nested more than {limit} levels deep",
        "liste e mappe sono annidate per più di {limit} livelli",
    ),
    (
        "close the `[` and `{` that are left open, or nest fewer lists and maps",
        "chiudi le `[` e le `{` rimaste aperte, oppure annida meno liste e mappe",
    ),
    // yaml/syntax.rs
    (
        "`{key}` is between typographic quotes, which YAML keeps as part of the text",
        "`{key}` è tra virgolette tipografiche, che per YAML fanno parte del testo",
    ),
    (
        "use straight quotes or none: {key}: \"{inner}\"",
        "usa le virgolette diritte, o nessuna: {key}: \"{inner}\"",
    ),
    (
        "the value starts with `{quote}`, a typographic quote, which YAML does not read as a quote",
        "il valore comincia con `{quote}`, una virgoletta tipografica, che per YAML non è una virgoletta",
    ),
    (
        "write it between straight quotes instead: {fixed}",
        "scrivilo invece tra virgolette diritte: {fixed}",
    ),
    (
        "`{escaped}` is not a valid escape between double quotes",
        "`{escaped}` non è una sequenza valida tra virgolette doppie",
    ),
    (
        "write a backslash as `\\\\`, or put the value between single quotes ' '",
        "scrivi la barra rovesciata come `\\\\`, oppure metti il valore tra virgolette semplici ' '",
    ),
    (
        "a value cannot start with {character} unless it is in quotes",
        "un valore non può cominciare con {character} se non è tra virgolette",
    ),
    (
        "write it in quotes: {fixed}",
        "scrivilo tra virgolette: {fixed}",
    ),
    (
        "this line has no `: ` between a key and its value",
        "in questa riga manca `: ` tra la chiave e il suo valore",
    ),
    (
        "write `key: value`, with a space after the `:`; if the line goes on the text of the field above, indent it more than that field",
        "scrivi `chiave: valore`, con uno spazio dopo i `:`; se la riga continua il testo del campo sopra, rientrala più di quel campo",
    ),
    (
        "this line is indented more than the line above it",
        "questa riga è rientrata più di quella sopra",
    ),
    (
        "this line is indented less than the fields above it",
        "questa riga è rientrata meno dei campi sopra",
    ),
    (
        "this list item is indented less than the items above it",
        "questo elemento della lista è rientrato meno degli elementi sopra",
    ),
    (
        "align it with `{above}`, at the start of the line",
        "allinea la riga a `{above}`, all'inizio della riga",
    ),
    (
        "align it with `{above}` ({spaces} spaces from the start of the line)",
        "allinea la riga a `{above}` ({spaces} spazi dall'inizio della riga)",
    ),
    (
        "a list item cannot start here",
        "qui non può cominciare un elemento di lista",
    ),
    (
        "this line is among the items of a list but does not start with `- `",
        "questa riga è tra gli elementi di una lista ma non comincia con `- `",
    ),
    (
        "start it with `- ` if it is one more item; if it is a field, indent it less than the list",
        "falla cominciare con `- ` se è un altro elemento; se è un campo, rientrala meno della lista",
    ),
    (
        "a list goes under a field with nothing after its `:` (`luoghi:`), one `- ` item per line, each indented by the same spaces",
        "una lista va sotto un campo che non ha niente dopo i `:` (`luoghi:`), un elemento `- ` per riga, tutti rientrati degli stessi spazi",
    ),
    (
        "the quote here closes the value, but the text goes on after it",
        "la virgoletta qui chiude il valore, ma il testo continua dopo",
    ),
    ("a backtick (`)", "un accento grave (`)"),
    (
        "put the quotes around the whole value: inside it a quote is written \\\" between \" \", an apostrophe '' between ' '",
        "metti le virgolette intorno a tutto il valore: al suo interno una virgoletta si scrive \\\" tra \" \", un apostrofo '' tra ' '",
    ),
    (
        "the first line is indented more than the lines after it",
        "la prima riga è rientrata più delle righe che la seguono",
    ),
    (
        "remove the blanks at the start of the line",
        "togli gli spazi all'inizio della riga",
    ),
    (
        "this text holds more than one YAML document",
        "questo testo contiene più di un documento YAML",
    ),
    (
        "remove the `---` or `...` lines inside it",
        "togli le righe `---` o `...` al suo interno",
    ),
    (
        "this line is not valid YAML",
        "questa riga non è YAML valido",
    ),
    // config.rs
    (
        "the taxonomy `{name}` cannot be published: {problem}",
        "la tassonomia `{name}` non si può pubblicare: {problem}",
    ),
    (
        "cannot read the configuration: {error}",
        "impossibile leggere la configurazione: {error}",
    ),
    (
        "run wemi in the site's folder, or name it with --root (looked in {folder})",
        "avvia wemi nella cartella del sito, oppure indicala con --root (ho cercato in {folder})",
    ),
    (
        "`base_url` must be an absolute http(s) URL, found `{url}`",
        "`base_url` deve essere un indirizzo completo che inizia con http:// o https://, trovato `{url}`",
    ),
    (
        "write it like https://wemi.comune.milano.it/",
        "scrivilo così: https://wemi.comune.milano.it/",
    ),
    (
        "`base_url` holds a control character (a line break, a tab…): `{url}`",
        "`base_url` contiene un carattere di controllo (un a capo, un tab…): `{url}`",
    ),
    (
        "write the address on one line, without invisible characters",
        "scrivi l'indirizzo su una riga sola, senza caratteri invisibili",
    ),
    (
        "unknown time zone `{zone}`",
        "fuso orario sconosciuto `{zone}`",
    ),
    (
        "use an IANA name such as Europe/Rome",
        "usa un nome IANA, come Europe/Rome",
    ),
    (
        "`{code}` is not a language code",
        "`{code}` non è un codice di lingua",
    ),
    (
        "use a lowercase ISO 639-1 code such as it, en or ar",
        "usa un codice ISO 639-1 minuscolo, come it, en o ar",
    ),
    (
        "`{code}` is the default language and cannot be listed again",
        "`{code}` è la lingua predefinita e non può essere elencata di nuovo",
    ),
    ("remove it from `languages`", "toglila da `languages`"),
    (
        "the taxonomy `{name}` has the name of a built-in field",
        "la tassonomia `{name}` ha il nome di un campo predefinito",
    ),
    ("choose another name", "scegli un altro nome"),
    (
        "the taxonomy name `{name}` is not a simple lowercase word",
        "il nome della tassonomia `{name}` non è una semplice parola minuscola",
    ),
    (
        "use lowercase letters, digits, hyphens and underscores only",
        "usa solo lettere minuscole, cifre, trattini e trattini bassi",
    ),
    (
        "the taxonomy `{name}` is declared twice",
        "la tassonomia `{name}` è dichiarata due volte",
    ),
    ("remove one of them", "togli una delle due"),
    (
        "`paginate_by` of the taxonomy `{name}` must be at least 1",
        "`paginate_by` della tassonomia `{name}` deve essere almeno 1",
    ),
    (
        "write the number of pages per term page, e.g. `paginate_by: 10`",
        "scrivi quante pagine elencare in ogni pagina di un termine, per esempio `paginate_by: 10`",
    ),
    (
        "`feeds.limit` must be at least 1",
        "`feeds.limit` deve essere almeno 1",
    ),
    (
        "write the number of entries per feed, e.g. `limit: 20`",
        "scrivi quante voci mettere in ogni feed, per esempio `limit: 20`",
    ),
    (
        "schema `{path}`: {problem}",
        "nello schema `{path}`: {problem}",
    ),
    // config.rs: outputs.
    (
        "the output `{path}` names a folder, not a file",
        "l'output `{path}` indica una cartella, non un file",
    ),
    (
        "end the path with the file's name, such as spazi/spazi.csv",
        "termina il percorso con il nome del file, per esempio spazi/spazi.csv",
    ),
    (
        "the outputs `{path}` and `{first}` (line {line}) would be written to the same file",
        "gli output `{path}` e `{first}` (riga {line}) verrebbero scritti nello stesso file",
    ),
    (
        "remove one of them, or give it another path",
        "togline uno, oppure dagli un altro percorso",
    ),
    (
        "the output `{path}` cannot be published: {problem}",
        "l'output `{path}` non si può pubblicare: {problem}",
    ),
    (
        "rename the file using letters, digits, hyphens and dots",
        "rinomina il file usando lettere, cifre, trattini e punti",
    ),
    (
        "the output `{path}` is not the path of a file of this site",
        "l'output `{path}` non è il percorso di un file di questo sito",
    ),
    (
        "write a path from the site's root such as spazi/spazi.csv: names between `/`, without `..`, `?`, `#` or `%`",
        "scrivi un percorso dalla radice del sito come spazi/spazi.csv: nomi separati da `/`, senza `..`, `?`, `#` o `%`",
    ),
    // schema/ (mod.rs, check.rs)
    (
        "a field of type `{kind}` needs `{key}`",
        "un campo di tipo `{kind}` ha bisogno di `{key}`",
    ),
    ("add `{key}: {example}`", "aggiungi `{key}: {example}`"),
    ("unknown type `{kind}`", "tipo sconosciuto `{kind}`"),
    ("the types are: {types}", "i tipi sono: {types}"),
    (
        "expected a group of `key: value` lines",
        "serve un gruppo di righe `chiave: valore`",
    ),
    (
        "indent the fields under this key",
        "scrivi i campi sotto questa chiave, rientrati di qualche spazio",
    ),
    ("unknown field `{key}`", "campo sconosciuto `{key}`"),
    ("the fields are: {fields}", "i campi sono: {fields}"),
    (
        "the required field `{key}` is missing",
        "manca il campo obbligatorio `{key}`",
    ),
    (
        "add a line `{key}: …` ({description})",
        "aggiungi una riga `{key}: …` ({description})",
    ),
    (
        "write the text on the same line, in quotes if it contains `: ` or `#`",
        "scrivi il testo sulla stessa riga, tra virgolette se contiene `: ` o `#`",
    ),
    (
        "write a whole number in digits, e.g. 4",
        "scrivi un numero intero in cifre, per esempio 4",
    ),
    (
        "write a number with a dot for decimals, e.g. 45.46",
        "scrivi un numero con il punto per i decimali, per esempio 45.46",
    ),
    (
        "write `true` or `false` (not sì/no)",
        "scrivi `true` o `false` (non sì/no)",
    ),
    ("a date like 2018-10-26", "una data come 2018-10-26"),
    (
        "write year-month-day with hyphens",
        "scrivi anno-mese-giorno con i trattini",
    ),
    (
        "a date and time like 2018-10-26T17:00:00+02:00",
        "una data con l'ora, come 2018-10-26T17:00:00+02:00",
    ),
    (
        "write year-month-day, a T, then hours:minutes:seconds",
        "scrivi anno-mese-giorno, una T, poi ore:minuti:secondi",
    ),
    ("one of {values}", "uno tra {values}"),
    (
        "an address starting with https://",
        "un indirizzo che inizia con https://",
    ),
    (
        "copy the full address from the browser",
        "copia l'indirizzo completo dal browser",
    ),
    ("an e-mail address", "un indirizzo e-mail"),
    (
        "write it like nome@comune.milano.it",
        "scrivilo come nome@comune.milano.it",
    ),
    ("an Italian phone number", "un numero di telefono italiano"),
    (
        "write it like 02 8845 8041 (in quotes is safest)",
        "scrivilo come 02 8845 8041 (tra virgolette è più sicuro)",
    ),
    (
        "the file name of a page in {section}/",
        "il nome del file di una pagina in {section}/",
    ),
    (
        "write the file name without .md, e.g. via-piazzetta",
        "scrivi il nome del file senza .md, per esempio via-piazzetta",
    ),
    (
        "write `[a, b]` or one `- item` per line",
        "scrivi `[a, b]` oppure una riga `- elemento` per ciascuno",
    ),
    (
        "`{field}`: expected a position with `lat` and `lon`",
        "`{field}`: serve una posizione con `lat` e `lon`",
    ),
    (
        "write `{ lat: 45.4781, lon: 9.2046 }`",
        "scrivi `{ lat: 45.4781, lon: 9.2046 }`",
    ),
    ("latitude", "latitudine"),
    ("longitude", "longitudine"),
    (
        "`{field}`: the {what} {value} is outside the allowed area ({min} to {max})",
        "`{field}`: la {what} {value} è fuori dall'area consentita (da {min} a {max})",
    ),
    (
        "check the coordinates: they may be swapped or mistyped",
        "controlla le coordinate: potrebbero essere invertite o scritte male",
    ),
    (
        "`{field}`: expected days with their hours",
        "`{field}`: servono i giorni con i loro orari",
    ),
    (
        "write one line per day, e.g. `mon: 09:00-13:00`",
        "scrivi una riga per giorno, per esempio `mon: 09:00-13:00`",
    ),
    (
        "the days are mon, tue, wed, thu, fri, sat, sun",
        "i giorni sono mon, tue, wed, thu, fri, sat, sun (da lunedì a domenica)",
    ),
    (
        "`{field}`: `{key}` is not a day",
        "`{field}`: `{key}` non è un giorno",
    ),
    (
        "`{field}`: expected a time range like 09:00-13:00 or `closed`, found {found}",
        "`{field}`: serve un orario come 09:00-13:00 oppure `chiuso`, trovato {found}",
    ),
    (
        "write hours and minutes with two digits each: 09:00-13:00",
        "scrivi ore e minuti con due cifre ciascuno: 09:00-13:00",
    ),
    ("nothing", "niente"),
    ("a group of fields", "un gruppo di campi"),
    (
        "an integer from {min} to {max}",
        "un numero intero da {min} a {max}",
    ),
    (
        "an integer of at least {min}",
        "un numero intero non inferiore a {min}",
    ),
    (
        "an integer of at most {max}",
        "un numero intero non superiore a {max}",
    ),
    ("a number from {min} to {max}", "un numero da {min} a {max}"),
    (
        "a number of at least {min}",
        "un numero non inferiore a {min}",
    ),
    (
        "a number of at most {max}",
        "un numero non superiore a {max}",
    ),
    ("a number", "un numero"),
    // content/document.rs
    (
        "cannot read the file: {error}",
        "impossibile leggere il file: {error}",
    ),
    (
        "the file is not valid UTF-8 text",
        "il file non è testo UTF-8 valido",
    ),
    (
        "the file holds a NUL character, which text never has",
        "il file contiene un carattere NUL, che un testo non ha mai",
    ),
    (
        "save the file as UTF-8 text: a file saved as UTF-16 (\"Unicode\") or a file that is not text has NUL characters",
        "salva il file come testo UTF-8: un file salvato come UTF-16 (\"Unicode\") o un file che non è testo contiene caratteri NUL",
    ),
    (
        "save the file with the UTF-8 encoding (most editors offer it in \"Save as\")",
        "salva il file con la codifica UTF-8 (quasi tutti gli editor la propongono in \"Salva con nome\")",
    ),
    (
        "the file does not start with front matter",
        "il file non inizia con l'intestazione (front matter)",
    ),
    (
        "begin the file with a line `---`, then `title: \"…\"`, then another `---` line",
        "inizia il file con una riga `---`, poi `title: \"…\"`, poi un'altra riga `---`",
    ),
    (
        "the front matter is not closed",
        "l'intestazione (front matter) non è chiusa",
    ),
    (
        "add a line `---` after the last field, before the text",
        "aggiungi una riga `---` dopo l'ultimo campo, prima del testo",
    ),
    (
        "the front matter opened here is never closed by a `---` line",
        "l'intestazione (front matter) aperta qui non viene mai chiusa da una riga `---`",
    ),
    (
        "line {line} looks like the closing line but is not exactly `---`: write it as three dashes alone on their line",
        "la riga {line} sembra quella di chiusura ma non è esattamente `---`: scrivila come tre trattini da soli sulla riga",
    ),
    (
        "add a line `---` after the last field, before line {line} where the text begins",
        "aggiungi una riga `---` dopo l'ultimo campo, prima della riga {line} dove comincia il testo",
    ),
    (
        "write shortcodes as {{ name(key=\"value\") }}",
        "scrivi gli shortcode così: {{ nome(chiave=\"valore\") }}",
    ),
    (
        "the required key `title` is missing or empty",
        "manca la chiave obbligatoria `title`, oppure è vuota",
    ),
    (
        "add a line `title: \"…\"` to the front matter",
        "aggiungi una riga `title: \"…\"` all'intestazione",
    ),
    (
        "use lowercase letters, digits and hyphens, e.g. `slug: via-piazzetta`",
        "usa lettere minuscole, cifre e trattini, per esempio `slug: via-piazzetta`",
    ),
    ("write `slug: {slug}`", "scrivi `slug: {slug}`"),
    (
        "`slug` may contain only lowercase letters, digits and hyphens, found `{slug}`",
        "`slug` può contenere solo lettere minuscole, cifre e trattini, trovato `{slug}`",
    ),
    (
        "the `slug` cannot be published: {problem}",
        "lo `slug` non si può pubblicare: {problem}",
    ),
    (
        "write a longer slug, e.g. `slug: {slug}-1`",
        "scrivi uno slug più lungo, per esempio `slug: {slug}-1`",
    ),
    (
        "the {taxonomy} `{term}` cannot be published: {problem}",
        "il valore `{term}` di `{taxonomy}` non si può pubblicare: {problem}",
    ),
    (
        "write the term in other words",
        "scrivi il valore con altre parole",
    ),
    (
        "`{key}` applies only to sections",
        "`{key}` vale solo per le sezioni",
    ),
    (
        "move it to the section's _index.md, or remove it",
        "spostalo nel file _index.md della sezione, oppure toglilo",
    ),
    (
        "`paginate_by` must be at least 1",
        "`paginate_by` deve essere almeno 1",
    ),
    (
        "write the number of pages per listing page, e.g. `paginate_by: 10`",
        "scrivi quante pagine elencare in ogni pagina dell'elenco, per esempio `paginate_by: 10`",
    ),
    (
        "`{key}` must be a value or a list of values",
        "`{key}` deve essere un valore o una lista di valori",
    ),
    (
        "write `{key}: 4` or `{key}: [4, 5]`",
        "scrivi `{key}: 4` oppure `{key}: [4, 5]`",
    ),
    (
        "put free values under `extra:`, or declare `{key}` as a taxonomy in site.yaml",
        "metti i valori liberi sotto `extra:`, oppure dichiara `{key}` come tassonomia in site.yaml",
    ),
    (
        "unknown key `{key}`, kept for templates as `page.extra.{key}`",
        "chiave sconosciuta `{key}`, tenuta per i modelli come `page.extra.{key}`",
    ),
    (
        "move it under `extra:`, or write `unknown_keys: extra` under `front_matter:` in site.yaml to keep such keys without a warning",
        "spostala sotto `extra:`, oppure scrivi `unknown_keys: extra` sotto `front_matter:` in site.yaml per tenere queste chiavi senza avviso",
    ),
    // script_url.rs
    (
        "`{key}` is a {scheme}: address, which can run a script in the visitor's browser",
        "`{key}` è un indirizzo {scheme}:, che può eseguire uno script nel browser di chi visita il sito",
    ),
    (
        "the argument `{key}` of `{name}` is a {scheme}: address, which can run a script in the visitor's browser",
        "l'argomento `{key}` di `{name}` è un indirizzo {scheme}:, che può eseguire uno script nel browser di chi visita il sito",
    ),
    (
        "content may not hold javascript:, vbscript: or data: addresses; link to an https:// page instead, or, if this is text, begin it another way",
        "i contenuti non possono avere indirizzi javascript:, vbscript: o data:; usa invece il link a una pagina https://, oppure, se è un testo, fallo iniziare in un altro modo",
    ),
    // date.rs
    (
        "`{value}` is not a valid date",
        "`{value}` non è una data valida",
    ),
    (
        "`{value}` is not a valid date and time",
        "`{value}` non è una data e ora valida",
    ),
    (
        "`{value}` is not a date (expected 2018-10-26 or 2018-10-26T17:00:00+02:00)",
        "`{value}` non è una data (serve 2018-10-26 oppure 2018-10-26T17:00:00+02:00)",
    ),
    // shortcodes.rs
    (
        "expected an argument name or `)` in the shortcode `{name}`",
        "nello shortcode `{name}` serve il nome di un argomento oppure `)`",
    ),
    (
        "expected `=` after `{key}`, as in {key}=\"…\"",
        "dopo `{key}` serve `=`, come in {key}=\"…\"",
    ),
    (
        "the argument `{key}` is given twice",
        "l'argomento `{key}` è scritto due volte",
    ),
    (
        "expected `,` or `)` between arguments",
        "tra gli argomenti serve `,` oppure `)`",
    ),
    (
        "the shortcode `{name}` must end with `}}`",
        "lo shortcode `{name}` deve finire con `}}`",
    ),
    (
        "this text is not closed: add a {quote}",
        "questo testo non è chiuso: aggiungi un {quote}",
    ),
    (
        "`{word}` is not a value: write text in quotes (\"{word}\"), a number, true or false",
        "`{word}` non è un valore: scrivi il testo tra virgolette (\"{word}\"), un numero, true o false",
    ),
    // site.rs
    (
        "cannot make a web address from the name `{name}`",
        "impossibile ricavare un indirizzo web dal nome `{name}`",
    ),
    (
        "add `slug: …` with lowercase letters, digits and hyphens",
        "aggiungi `slug: …` con lettere minuscole, cifre e trattini",
    ),
    (
        "write the file name of a page in content/{section}/, without .md",
        "scrivi il nome del file di una pagina in content/{section}/, senza .md",
    ),
    (
        "`{field}`: there is no published page content/{target}",
        "`{field}`: la pagina content/{target} non esiste o non è pubblicata",
    ),
    (
        "cannot make a web address from the folder name `{name}`",
        "impossibile ricavare un indirizzo web dal nome della cartella `{name}`",
    ),
    (
        "rename the folder with letters, digits and hyphens",
        "rinomina la cartella usando lettere, cifre e trattini",
    ),
    (
        "{this} and {other} would both be published at /{path}",
        "{this} e {other} verrebbero pubblicati entrambi in /{path}",
    ),
    (
        "rename one of them, or give one a different `slug:`",
        "rinomina uno dei due, oppure dai a uno dei due uno `slug:` diverso",
    ),
    ("this file", "questo file"),
    ("the alias `{alias}`", "l'alias `{alias}`"),
    (
        "the alias `{alias}` of {file}:{line}",
        "l'alias `{alias}` di {file}:{line}",
    ),
    (
        "the list page of the taxonomy `{name}`",
        "la pagina elenco della tassonomia `{name}`",
    ),
    ("the page of {term}", "la pagina del {term}"),
    (
        "page {number} of the listing of {file}",
        "la pagina {number} dell'elenco di {file}",
    ),
    ("page {number} of {term}", "la pagina {number} del {term}"),
    (
        "the term `{term}` of the taxonomy `{taxonomy}`",
        "valore `{term}` della tassonomia `{taxonomy}`",
    ),
    (
        "remove the alias: that address is not free",
        "togli l'alias: quell'indirizzo è già occupato",
    ),
    (
        "the file name `{name}` cannot be published: {problem}",
        "il nome del file `{name}` non si può pubblicare: {problem}",
    ),
    (
        "rename the file, or add `slug: …` with another name",
        "rinomina il file, oppure aggiungi `slug: …` con un altro nome",
    ),
    (
        "the folder name `{name}` cannot be published: {problem}",
        "il nome della cartella `{name}` non si può pubblicare: {problem}",
    ),
    ("rename the folder", "rinomina la cartella"),
    (
        "this file cannot be published: {problem}",
        "questo file non si può pubblicare: {problem}",
    ),
    (
        "rename the file, or the folder it is in",
        "rinomina il file, oppure la cartella in cui si trova",
    ),
    // links.rs
    (
        "write the path of a file under content/, e.g. @/spazi/via-piazzetta.md (drafts are not published)",
        "scrivi il percorso di un file dentro content/, per esempio @/spazi/via-piazzetta.md (le bozze non vengono pubblicate)",
    ),
    (
        "the link points to content/{file}, which is not a published page",
        "il link punta a content/{file}, che non è una pagina pubblicata",
    ),
    (
        "that page has no headings: remove the `#…` part",
        "quella pagina non ha titoli: togli la parte `#…`",
    ),
    ("its headings are: {ids}", "i suoi titoli sono: {ids}"),
    (
        "content/{file} has no heading with the id `{anchor}`",
        "content/{file} non ha un titolo con l'id `{anchor}`",
    ),
    (
        "write the path of a markdown file from this file's folder, e.g. ../spazi/via-piazzetta.md (drafts are not published)",
        "scrivi il percorso di un file markdown a partire dalla cartella di questo file, per esempio ../spazi/via-piazzetta.md (le bozze non vengono pubblicate)",
    ),
    (
        "the link `{url}` leads outside content/ with `..`",
        "il link `{url}` esce da content/ con `..`",
    ),
    (
        "write the path from this file's folder to a markdown file under content/, or the path from content/ after `@/`",
        "scrivi il percorso dalla cartella di questo file a un file markdown dentro content/, oppure il percorso da content/ dopo `@/`",
    ),
    (
        "the link `{url}` names no content file: {problem}",
        "il link `{url}` non indica nessun file dei contenuti: {problem}",
    ),
    (
        "write the path of a markdown file with `/` between its folders",
        "scrivi il percorso di un file markdown, con `/` tra le sue cartelle",
    ),
    (
        "the link `{url}` names no content file: its `%` escapes do not decode to a file name",
        "il link `{url}` non indica nessun file dei contenuti: i suoi codici `%` non danno il nome di un file",
    ),
    // site_path.rs
    (
        "the alias `{alias}` is not a root-relative address",
        "l'alias `{alias}` non è un indirizzo che inizia con /",
    ),
    (
        "the alias `{alias}` is a full web address, not an old address of this site",
        "l'alias `{alias}` è un indirizzo web completo, non un vecchio indirizzo di questo sito",
    ),
    (
        "the alias `{alias}` has a query (`?…`) or a fragment (`#…`), which a redirect page cannot have",
        "l'alias `{alias}` ha una parte `?…` o `#…`, che una pagina di reindirizzamento non può avere",
    ),
    (
        "the alias `{alias}` has a `%` that is not followed by two hexadecimal digits",
        "l'alias `{alias}` ha un `%` che non è seguito da due cifre esadecimali",
    ),
    (
        "the alias `{alias}` has percent-escapes that do not decode to UTF-8 text",
        "l'alias `{alias}` ha sequenze `%XX` che non formano testo UTF-8",
    ),
    (
        "the alias `{alias}` has an encoded `/` (`%2F`)",
        "l'alias `{alias}` contiene una `/` codificata (`%2F`)",
    ),
    (
        "the alias `{alias}` has an encoded `{character}`, which no address of this site can hold",
        "l'alias `{alias}` contiene un `{character}` codificato, che nessun indirizzo di questo sito può contenere",
    ),
    (
        "the alias `{alias}` goes above the site's root with `..`",
        "l'alias `{alias}` risale oltre la radice del sito con `..`",
    ),
    (
        "the alias `{alias}`: {problem}",
        "l'alias `{alias}`: {problem}",
    ),
    (
        "write old addresses like /vecchio/indirizzo/, starting with / and without `..`",
        "scrivi i vecchi indirizzi come /vecchio/indirizzo/, con / all'inizio e senza `..`",
    ),
    (
        "write only the path of the old address on this site, e.g. /vecchio/indirizzo/",
        "scrivi solo il percorso del vecchio indirizzo su questo sito, per esempio /vecchio/indirizzo/",
    ),
    (
        "write letters as they are, or escape UTF-8 bytes as %XX (a space is %20)",
        "scrivi le lettere così come sono, oppure codifica i byte UTF-8 come %XX (lo spazio è %20)",
    ),
    (
        "write `/` itself between the parts of the address",
        "scrivi proprio `/` tra le parti dell'indirizzo",
    ),
    (
        "remove this alias: no file with `%` or `#` in its name is published",
        "togli questo alias: nessun file con `%` o `#` nel nome viene pubblicato",
    ),
    (
        "remove this alias: its redirect page could not be published on every host",
        "togli questo alias: la sua pagina di reindirizzamento non si potrebbe pubblicare su ogni server",
    ),
    (
        "`{segment}` is a name Windows reserves for a device (con, prn, aux, nul, com1 to com9, lpt1 to lpt9, with any extension), so a site holding it cannot be published on every host",
        "`{segment}` è un nome che Windows riserva ai dispositivi (con, prn, aux, nul, da com1 a com9, da lpt1 a lpt9, con qualsiasi estensione), quindi un sito che lo contiene non si può pubblicare su ogni server",
    ),
    (
        "`{segment}` contains {character}, which file names cannot hold on every host",
        "`{segment}` contiene {character}, che non può stare nei nomi dei file su ogni server",
    ),
    (
        "`{segment}` ends with a dot or a space, which Windows drops from file names",
        "`{segment}` finisce con un punto o uno spazio, che Windows toglie dai nomi dei file",
    ),
    // Taxonomy terms (content/document.rs)
    (
        "cannot make a web address from the {taxonomy} `{term}`",
        "impossibile ricavare un indirizzo web dal valore `{term}` di `{taxonomy}`",
    ),
    (
        "write the term with Latin letters or digits",
        "scrivi il valore con lettere latine o cifre",
    ),
    // render.rs
    (
        "{message} (while rendering {file})",
        "{message} (durante la generazione di {file})",
    ),
    (
        "get_page: there is no published page content/{path}",
        "get_page: la pagina content/{path} non esiste o non è pubblicata",
    ),
    (
        "{function}: there is no static file `{path}`; did you mean `{best}`?",
        "{function}: non c'è nessun file statico `{path}`; forse intendevi `{best}`?",
    ),
    (
        "{function}: there is no static file `{path}` in the theme's or the site's static/",
        "{function}: non c'è nessun file statico `{path}` nella cartella static/ del tema o del sito",
    ),
    (
        "asset_integrity: only stylesheets and scripts (.css, .js) have an integrity value, not `{path}`",
        "asset_integrity: solo fogli di stile e script (.css, .js) hanno un valore di integrità, `{path}` no",
    ),
    (
        "get_section: there is no section content/{path}",
        "get_section: la sezione content/{path} non esiste",
    ),
    (
        "get_taxonomy: the site has no taxonomy `{kind}` (its taxonomies: {names})",
        "get_taxonomy: il sito non ha la tassonomia `{kind}` (le sue tassonomie: {names})",
    ),
    (
        "date: unknown format `{format}` (use long, full, short, time or iso)",
        "date: formato sconosciuto `{format}` (usa long, full, short, time o iso)",
    ),
    (
        "this template extends `{parent}`, which does not exist",
        "questo template estende `{parent}`, che non esiste",
    ),
    (
        "check the name in {% extends %}",
        "controlla il nome in {% extends %}",
    ),
    (
        "the template `{name}` does not exist",
        "il template `{name}` non esiste",
    ),
    (
        "add it to the theme's templates/ folder, or fix the name",
        "aggiungilo alla cartella templates/ del tema, oppure correggi il nome",
    ),
    (
        "the template is not valid: {detail}",
        "il template non è valido: {detail}",
    ),
    (
        "there is no filter `{name}`",
        "non esiste il filtro `{name}`",
    ),
    ("there is no test `{name}`", "non esiste il test `{name}`"),
    (
        "there is no function `{name}`",
        "non esiste la funzione `{name}`",
    ),
    (
        "there is no component `{name}`",
        "non esiste il componente `{name}`",
    ),
    (
        "there is no template `{name}` to include",
        "non esiste il template `{name}` da includere",
    ),
    (
        "no parent template has a block `{name}`",
        "nessun template genitore ha un blocco `{name}`",
    ),
    ("template error: {error}", "errore nel template: {error}"),
    (
        "add the template to the theme, or remove the taxonomy `{name}`",
        "aggiungi il template al tema, oppure togli la tassonomia `{name}`",
    ),
    (
        "there is no shortcode `{name}`",
        "lo shortcode `{name}` non esiste",
    ),
    (
        "the theme's shortcodes are: {names}",
        "gli shortcode del tema sono: {names}",
    ),
    (
        "the shortcode `{name}` failed: {cause}",
        "lo shortcode `{name}` non ha funzionato: {cause}",
    ),
    (
        "check its arguments; the template is {template}",
        "controlla i suoi argomenti; il template è {template}",
    ),
    (
        "the shortcode `{name}` has no argument `{key}`",
        "lo shortcode `{name}` non ha l'argomento `{key}`",
    ),
    (
        "did you mean `{best}`? The arguments of `{name}` are: {known}",
        "forse intendevi `{best}`? Gli argomenti di `{name}` sono: {known}",
    ),
    (
        "the arguments of `{name}` are: {known}",
        "gli argomenti di `{name}` sono: {known}",
    ),
    (
        "the shortcode `{name}` takes no arguments",
        "lo shortcode `{name}` non ha argomenti",
    ),
    (
        "the shortcode `{name}` needs the argument `{key}`",
        "lo shortcode `{name}` richiede l'argomento `{key}`",
    ),
    (
        "add it, as in {name}({key}=\"…\")",
        "aggiungilo, come in {name}({key}=\"…\")",
    ),
    (
        "the theme has neither `{specific}` nor `{fallback}` to render the taxonomy `{taxonomy}`",
        "il tema non ha né `{specific}` né `{fallback}` per generare la tassonomia `{taxonomy}`",
    ),
    (
        "`template: {name}` names a template that does not exist; the theme has: {names}",
        "`template: {name}` indica un template che non esiste; il tema ha: {names}",
    ),
    (
        "the theme has no `{template}` template to render this file with",
        "il tema non ha il template `{template}` per generare questo file",
    ),
    // render/jobs.rs and render/templates.rs: outputs of site.yaml, the csv filter.
    (
        "csv: a field must be text, a number, true or false, or none, not a list or a map",
        "csv: un campo deve essere un testo, un numero, true o false, oppure none, non una lista o una mappa",
    ),
    // view.rs
    (
        "cannot pass the configuration to the templates: {error}",
        "impossibile passare la configurazione ai template: {error}",
    ),
    (
        "cannot pass this file's values to the templates: {error}",
        "impossibile passare i valori di questo file ai template: {error}",
    ),
    (
        "cannot pass the term `{term}` of the taxonomy `{taxonomy}` to the templates: {error}",
        "impossibile passare il termine `{term}` della tassonomia `{taxonomy}` ai template: {error}",
    ),
    (
        "cannot pass the taxonomy `{taxonomy}` to the templates: {error}",
        "impossibile passare la tassonomia `{taxonomy}` ai template: {error}",
    ),
    // output.rs
    (
        "{origin} and {first} would both be written to {path}",
        "{origin} e {first} verrebbero scritti entrambi in {path}",
    ),
    (
        "rename or remove one of them",
        "rinomina o togli uno dei due",
    ),
    (
        "check that the output folder is writable and not in use",
        "controlla che la cartella di uscita sia scrivibile e non in uso",
    ),
    (
        "cannot create the output folder: {error}",
        "impossibile creare la cartella di uscita: {error}",
    ),
    (
        "cannot remove an old file: {error}",
        "impossibile togliere un vecchio file: {error}",
    ),
    (
        "the output folder contains a symbolic link where a folder is needed",
        "la cartella di uscita contiene un collegamento simbolico dove serve una cartella",
    ),
    (
        "remove the link: wemi never writes through links",
        "togli il collegamento: wemi non scrive mai attraverso i collegamenti",
    ),
    (
        "a file is in the way of a folder the site needs",
        "un file occupa il posto di una cartella che serve al sito",
    ),
    (
        "remove that file from the output folder",
        "togli quel file dalla cartella di uscita",
    ),
    (
        "cannot create a folder: {error}",
        "impossibile creare una cartella: {error}",
    ),
    (
        "cannot read a file to copy: {error}",
        "impossibile leggere un file da copiare: {error}",
    ),
    ("cannot write: {error}", "impossibile scrivere: {error}"),
    (
        "{origin} would be written to {path} and {first} to {other}: hosts that ignore case or accents would mix them up",
        "{origin} verrebbe scritto in {path} e {first} in {other}: i server che non distinguono maiuscole o accenti li confonderebbero",
    ),
    (
        "{origin} would be written to {path} and {first} to {other}: one of them needs the other's name for a folder",
        "{origin} verrebbe scritto in {path} e {first} in {other}: uno dei due ha bisogno del nome dell'altro per una cartella",
    ),
    (
        "cannot publish a file at `{path}`: {reason}",
        "impossibile pubblicare un file in `{path}`: {reason}",
    ),
    (
        "rename the file (or change its `slug`, alias or term) using letters, digits, hyphens and dots",
        "rinomina il file (o cambia il suo `slug`, alias o termine) usando lettere, cifre, trattini e punti",
    ),
    ("the path is empty", "il percorso è vuoto"),
    (
        "it starts at the root of the disk",
        "parte dalla radice del disco",
    ),
    (
        "it has an empty, `.` or `..` part",
        "ha una parte vuota, `.` o `..`",
    ),
    (
        "it contains `{char}`, which web addresses read as an escape or a fragment",
        "contiene `{char}`, che gli indirizzi web leggono come codice o come frammento",
    ),
    ("it is too long", "è troppo lungo"),
    (
        "cannot write the build's journal: {error}",
        "impossibile scrivere il registro della generazione: {error}",
    ),
    (
        "another wemi build is writing this output folder",
        "un'altra generazione di wemi sta scrivendo in questa cartella di uscita",
    ),
    (
        "wait for it to finish, then build again",
        "aspetta che finisca, poi genera di nuovo",
    ),
    (
        "a folder is in the way of a file the site needs",
        "una cartella occupa il posto di un file che serve al sito",
    ),
    (
        "remove that folder from the output folder",
        "togli quella cartella dalla cartella di uscita",
    ),
    (
        "could not put this file back as it was: {error}",
        "impossibile rimettere questo file com'era: {error}",
    ),
    // hosts.rs
    ("a script", "uno script"),
    ("a style sheet", "un foglio di stile"),
    ("a preloaded file", "un file precaricato"),
    ("an icon", "un'icona"),
    ("a web app manifest", "un manifest di web app"),
    ("an image", "un'immagine"),
    ("a video or audio file", "un file video o audio"),
    ("a frame (iframe)", "un riquadro (iframe)"),
    ("an embedded object", "un oggetto incorporato"),
    (
        "a form that sends its answers",
        "un modulo che invia le risposte",
    ),
    (
        "a style sheet imported by CSS (@import)",
        "un foglio di stile importato dal CSS (@import)",
    ),
    (
        "a file loaded by CSS (url(…), e.g. a font)",
        "un file caricato dal CSS (url(…), ad esempio un font)",
    ),
    (
        "{kind} makes the visitor's browser contact another host, {host}: {url} (in {published})",
        "{kind} fa contattare al browser del visitatore un altro sito, {host}: {url} (in {published})",
    ),
    (
        "send the form to an address of this site, or remove it",
        "fai inviare il modulo a un indirizzo di questo sito, oppure toglilo",
    ),
    (
        "put the file in static/ and use its address on this site, or remove it",
        "metti il file in static/ e usa il suo indirizzo su questo sito, oppure toglilo",
    ),
    // external.rs
    (
        "no external address could be reached: 1 link not checked",
        "nessun indirizzo esterno è raggiungibile: 1 link non controllato",
    ),
    (
        "no external address could be reached: {count} links not checked",
        "nessun indirizzo esterno è raggiungibile: {count} link non controllati",
    ),
    (
        "the machine seems to be offline; run `wemi check --external` where there is network",
        "sembra che il computer non sia connesso a internet; esegui `wemi check --external` dove c'è la rete",
    ),
    (
        "the link {url} is broken: the server answers {code}",
        "il link {url} non funziona: il server risponde {code}",
    ),
    (
        "the link {url} could not be reached: {reason}",
        "il link {url} non è raggiungibile: {reason}",
    ),
    ("fix or remove the address", "correggi o togli l'indirizzo"),
    // lib.rs
    (
        "refusing to write the site into {output}: it is or contains {folder}",
        "non scrivo il sito in {output}: è o contiene {folder}",
    ),
    (
        "choose an output folder of its own, such as public/",
        "scegli una cartella di uscita solo per il sito, come public/",
    ),
    (
        "the site has no content/ folder",
        "il sito non ha la cartella content/",
    ),
    (
        "create content/_index.md for the home page",
        "crea content/_index.md per la home page",
    ), // data.rs
    (
        "`data` is a file, but it must be a folder",
        "`data` è un file, ma deve essere una cartella",
    ),
    (
        "put the data files in a data/ folder",
        "metti i file di dati in una cartella data/",
    ),
    (
        "`.{ext}` is not a data file type",
        "`.{ext}` non è un tipo di file di dati",
    ),
    (
        "this file has no extension, so it is not a data file",
        "questo file non ha un'estensione, quindi non è un file di dati",
    ),
    (
        "data files must be .yaml, .json or .csv; move other files out of data/",
        "i file di dati devono essere .yaml, .json o .csv; sposta gli altri file fuori da data/",
    ),
    (
        "save the file with the UTF-8 encoding (from Excel: “CSV UTF-8”)",
        "salva il file con la codifica UTF-8 (da Excel: “CSV UTF-8”)",
    ),
    (
        "the JSON is not valid: {detail}",
        "il JSON non è valido: {detail}",
    ),
    (
        "an empty file is not JSON: write {} or [] for no data",
        "un file vuoto non è JSON: scrivi {} oppure [] se non ci sono dati",
    ),
    (
        "JSON allows no comma after the last item of a list or map",
        "in JSON non va messa la virgola dopo l'ultimo elemento di una lista o di un gruppo",
    ),
    (
        "JSON keys must be in double quotes, e.g. {\"nome\": \"Brera\"}",
        "in JSON le chiavi vanno tra virgolette doppie, per esempio {\"nome\": \"Brera\"}",
    ),
    (
        "the file ends too early: check for a missing `}`, `]` or `\"`",
        "il file finisce troppo presto: controlla che non manchi una `}`, una `]` o una `\"`",
    ),
    (
        "cannot read the header of the table: {error}",
        "impossibile leggere l'intestazione della tabella: {error}",
    ),
    (
        "the column `{name}` appears twice in the header",
        "la colonna `{name}` compare due volte nell'intestazione",
    ),
    (
        "give each column a name of its own",
        "dai a ogni colonna un nome diverso",
    ),
    (
        "this row has {len} values, but the header names {columns} columns",
        "questa riga ha {len} valori, ma l'intestazione ha {columns} colonne",
    ),
    (
        "give every row one value per column; quote values that contain commas, e.g. \"Via Roma, 1\"",
        "scrivi in ogni riga un valore per colonna; metti tra virgolette i valori che contengono virgole, per esempio \"Via Roma, 1\"",
    ),
    (
        "the table is not valid CSV: {detail}",
        "la tabella non è un CSV valido: {detail}",
    ),
    ("the folder `{path}/`", "la cartella `{path}/`"),
    (
        "`{path}` and {other} both give `{key}`",
        "`{path}` e {other} corrispondono entrambi a `{key}`",
    ),
    (
        "rename or remove one of them: each data file needs a name of its own",
        "rinomina o togli uno dei due: ogni file di dati deve avere un nome diverso",
    ),
    // fs.rs
    (
        "this symbolic link points back to a folder that contains it",
        "questo collegamento simbolico punta a una cartella che lo contiene",
    ),
    (
        "remove the link, or point it elsewhere",
        "togli il collegamento, oppure fallo puntare altrove",
    ),
    ("cannot read: {error}", "impossibile leggere: {error}"),
    (
        "the file name is not valid UTF-8",
        "il nome del file contiene caratteri non validi (non è UTF-8)",
    ),
    (
        "rename the file using letters, digits and hyphens",
        "rinomina il file usando lettere, cifre e trattini",
    ),
    (
        "this symbolic link leads nowhere: {error}",
        "questo collegamento simbolico non porta da nessuna parte: {error}",
    ),
    (
        "remove the link, or point it at a file of the site",
        "togli il collegamento, oppure fallo puntare a un file del sito",
    ),
    (
        "this symbolic link leads outside the site folder, to {target}",
        "questo collegamento simbolico porta fuori dalla cartella del sito, a {target}",
    ),
    (
        "wemi publishes only files inside the site folder: copy the file in instead of linking it",
        "wemi pubblica solo i file dentro la cartella del sito: copia il file invece di collegarlo",
    ),
    (
        "this symbolic link leads to files the site already has",
        "questo collegamento simbolico porta a file che il sito ha già",
    ),
    // theme.rs
    (
        "the theme `{name}` does not exist",
        "il tema `{name}` non esiste",
    ),
    (
        "create {folder}/ or change `theme:` in site.yaml",
        "crea la cartella {folder}/ oppure cambia `theme:` in site.yaml",
    ),
    (
        "a translation file must be named after its language and end in .yaml",
        "un file di traduzioni deve avere il nome della sua lingua e finire in .yaml",
    ),
    (
        "name it like i18n/it.yaml or i18n/en.yaml",
        "chiamalo come i18n/it.yaml o i18n/en.yaml",
    ),
    (
        "cannot read the translation file: {error}",
        "impossibile leggere il file di traduzioni: {error}",
    ),
    (
        "write one `key: \"text\"` per line; every text is a string in quotes",
        "scrivi una riga `chiave: \"testo\"` per testo; ogni testo va tra virgolette",
    ),
    (
        "{count} texts have no {lang} translation, so pages in {lang} show them in {default}: {keys}",
        "{count} testi non hanno la traduzione in {lang}, quindi le pagine in {lang} li mostrano in {default}: {keys}",
    ),
    (
        "add the missing keys to the translation file",
        "aggiungi le chiavi mancanti al file di traduzioni",
    ),
    (
        "trans: there is no text `{key}` in i18n/{lang}.yaml",
        "trans: in i18n/{lang}.yaml non c'è il testo `{key}`",
    ),
    (
        "cannot read the template: {error}",
        "impossibile leggere il template: {error}",
    ),
    (
        "templates must be UTF-8 text files",
        "i template devono essere file di testo UTF-8",
    ),
    // content/source.rs
    (
        "this file can run scripts in the browser, like raw HTML, which this site does not allow",
        "questo file può eseguire script nel browser, come l'HTML grezzo, che questo sito non permette",
    ),
    (
        "write the page in markdown, use an image format such as .png or .jpg, or allow raw HTML with `unsafe_html: true` under `markdown:` in site.yaml",
        "scrivi la pagina in markdown, usa un formato di immagine come .png o .jpg, oppure permetti l'HTML grezzo con `unsafe_html: true` sotto `markdown:` in site.yaml",
    ),
    // scaffold.rs
    (
        "the title would name the file {slug}.md: {problem}",
        "il titolo darebbe al file il nome {slug}.md: {problem}",
    ),
    ("Created {path}", "Pagina creata: {path}"),
    (
        "`{section}` is not a folder of content/",
        "`{section}` non è una cartella di content/",
    ),
    (
        "name the section's folder, such as `spazi` or `notizie`",
        "indica la cartella della sezione, come `spazi` o `notizie`",
    ),
    (
        "there is no section content/{section}/",
        "la sezione content/{section}/ non esiste",
    ),
    (
        "did you mean `{best}`? To start a new section, create content/{section}/ first",
        "forse intendevi `{best}`? Per iniziare una nuova sezione, crea prima la cartella content/{section}/",
    ),
    (
        "the title `{title}` has no letter or digit to name the file after",
        "il titolo `{title}` non ha lettere o cifre da cui ricavare il nome del file",
    ),
    (
        "write a title with Latin letters or digits, such as \"Nuovo spazio\"",
        "scrivi un titolo con lettere latine o cifre, come \"Nuovo spazio\"",
    ),
    (
        "the title would name the file index.md, which makes its folder a page",
        "con questo titolo il file si chiamerebbe index.md, un nome che trasforma la sua cartella in una pagina",
    ),
    ("choose a longer title", "scegli un titolo più lungo"),
    (
        "cannot create the page: {error}",
        "impossibile creare la pagina: {error}",
    ),
    (
        "the page already exists as {bundle}: nothing was changed",
        "la pagina esiste già come {bundle}: non è stato cambiato niente",
    ),
    (
        "the page already exists: it was left as it is",
        "la pagina esiste già: è stata lasciata com'era",
    ),
    (
        "choose another title, or edit the existing page",
        "scegli un altro titolo, oppure modifica la pagina che c'è già",
    ),
    // content/placeholders.rs: what `wemi new` left for the editor to complete.
    (
        "`{field}` still holds the placeholder that `wemi new` wrote ({marker})",
        "`{field}` contiene ancora il segnaposto scritto da `wemi new` ({marker})",
    ),
    (
        "this line still holds the placeholder that `wemi new` wrote ({marker})",
        "questa riga contiene ancora il segnaposto scritto da `wemi new` ({marker})",
    ),
    (
        "write the real value and delete `{comment}` at the end of the line; to preview the page meanwhile: `wemi serve --drafts`",
        "scrivi il valore giusto e cancella `{comment}` in fondo alla riga; per vedere intanto la pagina in anteprima: `wemi serve --drafts`",
    ),
    (
        "replace the placeholder with the real value",
        "sostituisci il segnaposto con il valore giusto",
    ),
    (
        "the text still holds the placeholder that `wemi new` wrote ({marker})",
        "il testo contiene ancora il segnaposto scritto da `wemi new` ({marker})",
    ),
    (
        "write the page's text in place of this line, or delete the line if the page needs no text",
        "scrivi il testo della pagina al posto di questa riga, o cancella la riga se la pagina non ha bisogno di testo",
    ),
    // json_schema.rs
    (
        "site.yaml declares no `schemas:`: no schema was written",
        "site.yaml non dichiara `schemas:`: non è stato scritto nessuno schema",
    ),
    ("Wrote {files}", "File scritti: {files}"),
    (
        "the schema `{section}` is not named after a folder of content/",
        "lo schema `{section}` non ha il nome di una cartella di content/",
    ),
    (
        "name each schema after its section's folder, such as `spazi`",
        "dai a ogni schema il nome della cartella della sua sezione, come `spazi`",
    ),
    (
        "cannot write the schema: {error}",
        "impossibile scrivere lo schema: {error}",
    ),
    // report.rs
    (
        "1 error found; nothing was written.",
        "1 errore trovato; non è stato scritto niente.",
    ),
    (
        "{n} errors found; nothing was written.",
        "{n} errori trovati; non è stato scritto niente.",
    ),
    // The cap on each kind of diagnostic, and the summary of a long list.
    (
        "… and 1 more error of this kind ({code})",
        "… e un altro errore di questo tipo ({code})",
    ),
    (
        "… and {n} more errors of this kind ({code})",
        "… e altri {n} errori di questo tipo ({code})",
    ),
    (
        "… and 1 more warning of this kind ({code})",
        "… e un altro avviso di questo tipo ({code})",
    ),
    (
        "… and {n} more warnings of this kind ({code})",
        "… e altri {n} avvisi di questo tipo ({code})",
    ),
    ("By kind:", "Per tipo:"),
    ("By file:", "Per file:"),
    ("… and 1 other file", "… e un altro file"),
    ("… and {n} other files", "… e altri {n} file"),
    (
        "Only the first {max} of each kind are shown in full: `--max-per-kind 0` shows them all.",
        "Solo i primi {max} di ogni tipo sono mostrati per intero: `--max-per-kind 0` li mostra tutti.",
    ),
    (
        "Built {pages} and {sections}: {written}, {unchanged}, {removed} in {ms} ms ({phases} ms)",
        "Generate {pages} e {sections}: {written}, {unchanged}, {removed} in {ms} ms ({phases} ms)",
    ),
    // The counts of the summaries: Italian participles agree with them.
    ("1 page", "1 pagina"),
    ("{n} pages", "{n} pagine"),
    ("1 section", "1 sezione"),
    ("{n} sections", "{n} sezioni"),
    ("1 file written", "1 file scritto"),
    ("{n} files written", "{n} file scritti"),
    ("1 unchanged", "1 invariato"),
    ("{n} unchanged", "{n} invariati"),
    ("1 removed", "1 tolto"),
    ("{n} removed", "{n} tolti"),
    ("1 file changed", "1 file cambiato"),
    ("{n} files changed", "{n} file cambiati"),
    (
        "1 error found; the site would still build, but check fails.",
        "1 errore trovato; il sito verrebbe generato, ma il controllo non passa.",
    ),
    (
        "{n} errors found; the site would still build, but check fails.",
        "{n} errori trovati; il sito verrebbe generato, ma il controllo non passa.",
    ),
    (
        "1 error found; the site would not build.",
        "1 errore trovato; il sito non verrebbe generato.",
    ),
    (
        "{n} errors found; the site would not build.",
        "{n} errori trovati; il sito non verrebbe generato.",
    ),
    (
        "Checked {pages} and {sections}: no errors",
        "Controllate {pages} e {sections}: nessun errore",
    ),
    // render/images: resized images for templates, and content/document.rs: images without
    // a text alternative.
    (
        "resize_image: there is no image `{path}` beside this page or in static/",
        "resize_image: non c'è l'immagine `{path}` accanto a questa pagina né in static/",
    ),
    (
        "resize_image: unknown format `{format}` (use webp, jpeg, png or original)",
        "resize_image: formato `{format}` sconosciuto (usa webp, jpeg, png o original)",
    ),
    (
        "resize_image: `width` must be more than 0 and `quality` from 1 to 100",
        "resize_image: `width` deve essere maggiore di 0 e `quality` tra 1 e 100",
    ),
    (
        "make the image smaller (a few thousand pixels per side are plenty for the web) and add it again",
        "rimpicciolisci l'immagine (qualche migliaio di pixel per lato basta e avanza per il web) e aggiungila di nuovo",
    ),
    (
        "open the image in an image editor and save it again as JPEG or PNG",
        "apri l'immagine con un programma di grafica e salvala di nuovo come JPEG o PNG",
    ),
    (
        "check that the file can be read",
        "controlla che il file si possa leggere",
    ),
    (
        "cannot read the image: {error}",
        "non riesco a leggere l'immagine: {error}",
    ),
    (
        "the image file is {mb} MB, more than the {max} MB the build reads",
        "il file dell'immagine è di {mb} MB, più dei {max} MB che la generazione legge",
    ),
    (
        "cannot keep the resized image: {error}",
        "non riesco a conservare l'immagine ridimensionata: {error}",
    ),
    (
        "check that the site folder can be written",
        "controlla che nella cartella del sito si possa scrivere",
    ),
    (
        "cannot encode the image: {error}",
        "non riesco a codificare l'immagine: {error}",
    ),
    (
        "this is not a JPEG, PNG or WebP image",
        "questa non è un'immagine JPEG, PNG o WebP",
    ),
    ("the image has no pixels", "l'immagine non ha pixel"),
    (
        "the image declares {width}×{height} pixels, more than the build decodes (at most {side} per side and {megapixels} million in all)",
        "l'immagine dichiara {width}×{height} pixel, più di quanti la generazione ne decodifica (al massimo {side} per lato e {megapixels} milioni in tutto)",
    ),
    (
        "the image is larger than the build decodes (at most {side} pixels per side and {megapixels} million in all)",
        "l'immagine è più grande di quanto la generazione decodifica (al massimo {side} pixel per lato e {megapixels} milioni in tutto)",
    ),
    (
        "the image is damaged or not in a format the build reads: {error}",
        "l'immagine è danneggiata o in un formato che la generazione non legge: {error}",
    ),
    (
        "this image has no text alternative for those who cannot see it",
        "questa immagine non ha un testo alternativo per chi non può vederla",
    ),
    (
        "describe what the image shows between the brackets: ![L'ingresso dello spazio](foto.jpg)",
        "descrivi tra le parentesi quadre che cosa mostra l'immagine: ![L'ingresso dello spazio](foto.jpg)",
    ),
    (
        "`alt` of {name} is empty: the image has no text alternative for those who cannot see it",
        "`alt` di {name} è vuoto: l'immagine non ha un testo alternativo per chi non può vederla",
    ),
    (
        "describe what the image shows in alt=\"…\"; for an image that adds nothing to the text, write decorativa=true",
        "descrivi in alt=\"…\" che cosa mostra l'immagine; per un'immagine che non aggiunge nulla al testo, scrivi decorativa=true",
    ),
    (
        "Resized images: {made} made, {reused} taken from .wemi/images/",
        "Immagini ridimensionate: {made} create, {reused} riprese da .wemi/images/",
    ),
];
