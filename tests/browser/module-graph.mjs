// Checks that the web UI's modules depend downward only: app.js (the shell)
// imports the pages, the pages import the shared modules, and nothing points
// back up. An import cycle still loads in a browser, but then one module runs
// before another is initialised, which breaks at start in an order-dependent
// way; a page importing another page is how such cycles begin. Plain Node, no
// packages and no browser; tests/browser/run.sh runs it before the browser tests.
//   node tests/browser/module-graph.mjs [web dir=gateway/web] [--print]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const print = args.includes('--print');
const dir = resolve(args.find((a) => !a.startsWith('--'))
  || join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'gateway', 'web'));
const SHELL = 'app.js';

// Static imports and re-exports (one line or several), and dynamic import('…').
const PATTERNS = [
  /^\s*import\s+(?:[\w$*{},\s]+?\s+from\s+)?['"]([^'"]+)['"]/gm,
  /^\s*export\s+(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/gm,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

const problems = [];
const files = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
const graph = new Map();
const pages = new Set();

for (const file of files) {
  const text = readFileSync(join(dir, file), 'utf8');
  // A page is a module that exports a view for the shell's routes.
  if (/^export\s+(?:async\s+)?function\s+\w+View\s*\(/m.test(text)) pages.add(file);
  const deps = new Set();
  for (const pattern of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const spec = m[1];
      if (!spec.startsWith('./')) {
        problems.push(`${file} imports '${spec}': only './x.js' files of the UI load (no build step, no other origin)`);
        continue;
      }
      const target = spec.slice(2);
      if (target.includes('/') || !existsSync(join(dir, target))) {
        problems.push(`${file} imports '${spec}', which is not a file of ${dir}`);
        continue;
      }
      deps.add(target);
    }
  }
  graph.set(file, [...deps].sort());
}

for (const [file, deps] of graph) {
  if (deps.includes(SHELL)) problems.push(`${file} imports ${SHELL}: the shell imports the pages, never the reverse`);
  if (pages.has(file)) {
    for (const dep of deps) {
      if (pages.has(dep)) problems.push(`${file} imports ${dep}: a page imports no other page; move what both need lower`);
    }
  }
}

// Depth-first search; a module met again while still on the path closes a cycle.
const done = new Set();
const path = [];
const cycles = new Set();
function visit(file) {
  const at = path.indexOf(file);
  if (at >= 0) {
    cycles.add([...path.slice(at), file].join(' -> '));
    return;
  }
  if (done.has(file)) return;
  path.push(file);
  for (const dep of graph.get(file) || []) visit(dep);
  path.pop();
  done.add(file);
}
for (const file of files) visit(file);
for (const cycle of cycles) problems.push(`import cycle: ${cycle}`);

if (print) {
  for (const [file, deps] of graph) console.log(`${file} -> ${deps.join(', ') || '(nothing)'}`);
}
if (problems.length) {
  for (const p of problems) console.error(`module graph: ${p}`);
  process.exit(1);
}
console.log(`module graph of ${basename(dir)}/: ${files.length} modules, ${pages.size} pages, no cycle, nothing imports ${SHELL}`);
