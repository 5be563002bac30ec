// Checks deploy/observability/ against the code:
//   - grafana-dashboard.json is a dashboard whose panels all have queries;
//   - alert-rules.yaml is a valid rules file (checked as the spec of a PrometheusRule);
//   - every PromQL expression parses (the Prometheus project's own lezer grammar);
//   - every label name it uses appears in the C++ sources under services/ and gateway/
//     (as a string literal, tests left out), or is one Prometheus adds (job, le, ...);
//   - the metric names it selects are written, one a line, to --metrics-file, for
//     check.sh to look up in the C++ sources with grep -r.
//
//   node tests/deploy/observability.mjs REPO_ROOT [--metrics-file FILE]
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parser } from '@prometheus-io/lezer-promql';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

const root = process.argv[2] ?? '.';
const metricsFileAt = process.argv.indexOf('--metrics-file');
const metricsFile = metricsFileAt > 0 ? process.argv[metricsFileAt + 1] : null;
// Added by Prometheus or the ServiceMonitor (target labels), or by histograms (le).
const TARGET_LABELS = new Set(['job', 'instance', 'namespace', 'pod', 'service', 'container', 'endpoint', 'le']);
const problems = [];

function sources(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(p));
    else if (/\.(cc|h)$/.test(entry.name) && !/_test\.cc$/.test(entry.name)) out.push(p);
  }
  return out;
}
const code = ['services', 'gateway'].flatMap((d) => sources(path.join(root, d)))
  .map((f) => fs.readFileSync(f, 'utf8')).join('\n');
const inCode = (name) => code.includes(`"${name}"`);

// Grafana's interval variables become a duration; other $variables only appear in strings.
const forParsing = (expr) => expr.replace(/\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}/g, '5m');

function checkExpr(where, expr) {
  const text = forParsing(expr);
  const tree = parser.parse(text);
  const metrics = new Set();
  const labels = new Set();
  let error = null;
  tree.iterate({
    enter(node) {
      if (node.type.isError && error === null) error = node.from;
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) metrics.add(text.slice(id.from, id.to));
      }
      if (node.name === 'LabelName') labels.add(text.slice(node.from, node.to));
    },
  });
  if (error !== null) {
    problems.push(`${where}: PromQL does not parse near "${text.slice(Math.max(0, error - 20), error + 20)}"`);
    return;
  }
  if (metrics.size === 0) problems.push(`${where}: selects no metric`);
  for (const l of labels) {
    if (!TARGET_LABELS.has(l) && !inCode(l)) problems.push(`${where}: label ${l} is not set by the code`);
  }
  return metrics;
}

let expressions = 0;
const used = new Set();
const record = (where, expr) => {
  expressions++;
  for (const m of checkExpr(where, expr) ?? []) used.add(m);
};

// The dashboard.
const dashboardFile = path.join(root, 'deploy/observability/grafana-dashboard.json');
const dashboard = JSON.parse(fs.readFileSync(dashboardFile, 'utf8'));
if (!dashboard.title || !dashboard.uid || !Array.isArray(dashboard.panels)) {
  problems.push('grafana-dashboard.json: needs title, uid and panels');
}
const ids = new Set();
const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
for (const p of panels) {
  const where = `dashboard panel "${p.title}"`;
  if (ids.has(p.id)) problems.push(`${where}: duplicate id ${p.id}`);
  ids.add(p.id);
  if (!p.gridPos) problems.push(`${where}: no gridPos`);
  if (p.type === 'row' || p.type === 'text') continue;
  if (!p.targets?.length) problems.push(`${where}: no queries`);
  for (const t of p.targets ?? []) record(`${where} ${t.refId}`, t.expr ?? '');
}
for (const v of dashboard.templating?.list ?? []) {
  const q = typeof v.query === 'string' ? v.query : v.query?.query;
  const m = /^label_values\((.*),\s*\w+\)$/.exec(q ?? '');
  if (m) record(`dashboard variable ${v.name}`, m[1]);
}

// The alert rules.
const rulesFile = path.join(root, 'deploy/observability/alert-rules.yaml');
const rules = YAML.parse(fs.readFileSync(rulesFile, 'utf8'));
try {
  new PrometheusRule({ metadata: { name: 'soc-maturity' }, spec: rules }).validate();
} catch (e) {
  problems.push(`alert-rules.yaml: ${e.message}`);
}
const alertNames = new Set();
for (const group of rules?.groups ?? []) {
  for (const rule of group.rules ?? []) {
    const where = `alert ${rule.alert ?? rule.record ?? '?'}`;
    if (rule.record) problems.push(`${where}: recording rules would add metric names the code does not export`);
    if (!rule.alert) continue;
    if (alertNames.has(rule.alert)) problems.push(`${where}: defined twice`);
    alertNames.add(rule.alert);
    if (!rule.labels?.severity) problems.push(`${where}: needs a severity label`);
    if (!rule.annotations?.summary || !rule.annotations?.description) problems.push(`${where}: needs summary and description`);
    record(where, String(rule.expr ?? ''));
  }
}

if (metricsFile) fs.writeFileSync(metricsFile, [...used].sort().map((m) => `${m}\n`).join(''));
for (const p of problems) console.log(`  ${p}`);
console.log(`observability: ${expressions} expressions, ${alertNames.size} alerts, metrics used: ${[...used].sort().join(' ')}`);
process.exitCode = problems.length ? 1 : 0;
