// Validates rendered Kubernetes manifests offline.
//
//   node tests/deploy/validate.mjs FILE...
//
// Each YAML document is checked against the schema of its apiVersion/kind with the
// matching kubernetes-models class (prometheus-operator kinds with
// @kubernetes-models/prometheus-operator). A kind with no model is an error, so a
// typo in apiVersion or kind cannot slip through. The schemas do not reject unknown
// fields, so Deployments also get the chart's own rules checked here: hardened
// security context, probes, resources, no service account token.
// Exits 1 on any problem; prints one line per file.
import fs from 'node:fs';
import YAML from 'yaml';

const CORE_GROUPS = new Set(['', 'apps', 'autoscaling', 'batch', 'policy', 'networking.k8s.io',
  'rbac.authorization.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io', 'discovery.k8s.io',
  'coordination.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'node.k8s.io']);
const OPERATOR_GROUPS = new Set(['monitoring.coreos.com']);

const modules = new Map();
async function modelClass(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  let specifier;
  if (CORE_GROUPS.has(group)) specifier = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  else if (OPERATOR_GROUPS.has(group)) specifier = `@kubernetes-models/prometheus-operator/${group}/${version}`;
  else return null;
  if (!modules.has(specifier)) {
    modules.set(specifier, await import(specifier).catch(() => null));
  }
  const mod = modules.get(specifier);
  return mod && typeof mod[kind] === 'function' ? mod[kind] : null;
}

// The chart's own rules for every workload; each returns a problem or nothing.
function deploymentProblems(d) {
  const problems = [];
  const pod = d.spec?.template?.spec ?? {};
  const need = (ok, what) => { if (!ok) problems.push(what); };
  need(pod.automountServiceAccountToken === false, 'automountServiceAccountToken must be false');
  need(pod.securityContext?.runAsNonRoot === true, 'pod securityContext.runAsNonRoot must be true');
  need(pod.securityContext?.seccompProfile?.type === 'RuntimeDefault', 'pod seccompProfile must be RuntimeDefault');
  const tmp = (pod.volumes ?? []).find((v) => v.name === 'tmp');
  need(tmp && tmp.emptyDir, 'a "tmp" emptyDir volume is required');
  for (const c of pod.containers ?? []) {
    const where = `container ${c.name}`;
    const sc = c.securityContext ?? {};
    need(sc.readOnlyRootFilesystem === true, `${where}: readOnlyRootFilesystem must be true`);
    need(sc.allowPrivilegeEscalation === false, `${where}: allowPrivilegeEscalation must be false`);
    need(sc.runAsNonRoot === true, `${where}: runAsNonRoot must be true`);
    need((sc.capabilities?.drop ?? []).includes('ALL'), `${where}: capabilities must drop ALL`);
    need(!(sc.capabilities?.add ?? []).length, `${where}: no capability may be added`);
    need(c.readinessProbe && c.livenessProbe, `${where}: needs readiness and liveness probes`);
    need(c.resources?.requests?.cpu && c.resources?.requests?.memory, `${where}: needs cpu and memory requests`);
    need(c.resources?.limits?.memory, `${where}: needs a memory limit`);
    need((c.volumeMounts ?? []).some((m) => m.name === 'tmp' && m.mountPath === '/tmp'), `${where}: /tmp must be mounted`);
    const names = (c.env ?? []).map((e) => e.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    need(!dup, `${where}: environment variable ${dup} is set twice`);
    for (const e of c.env ?? []) {
      need(e.value === undefined || typeof e.value === 'string', `${where}: ${e.name} must be a string`);
    }
    const grpcPort = (c.ports ?? []).find((p) => p.name === 'grpc');
    if (grpcPort) {
      // The gRPC port takes mutual TLS only; kubelet probes the plaintext health port.
      const healthPort = (c.ports ?? []).find((p) => p.name === 'health');
      need(healthPort && healthPort.containerPort !== grpcPort.containerPort, `${where}: needs a health port apart from the gRPC port`);
      need(c.readinessProbe?.grpc?.port === healthPort?.containerPort, `${where}: readiness must be a gRPC probe on the health port`);
      need(c.livenessProbe?.grpc?.port === healthPort?.containerPort, `${where}: liveness must be a gRPC probe on the health port`);
      need(names.includes('SOCM_HEALTH_PORT'), `${where}: SOCM_HEALTH_PORT must be set for the probes`);
      for (const v of ['SOCM_TLS_CA_FILE', 'SOCM_TLS_CERT_FILE', 'SOCM_TLS_KEY_FILE']) {
        need(names.includes(v), `${where}: ${v} must be set (mutual TLS between components)`);
      }
    } else {
      need(c.readinessProbe?.httpGet?.path === '/readyz', `${where}: readiness must be GET /readyz`);
      need(c.livenessProbe?.httpGet?.path === '/healthz', `${where}: liveness must be GET /healthz`);
    }
  }
  return problems;
}

async function validateFile(file) {
  const problems = [];
  const counts = new Map();
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  for (const [i, doc] of docs.entries()) {
    if (doc.errors.length) {
      problems.push(`document ${i + 1}: ${doc.errors[0].message}`);
      continue;
    }
    const o = doc.toJS();
    if (o === null || o === undefined) continue;
    const name = `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`;
    if (!o.apiVersion || !o.kind || !o.metadata?.name) {
      problems.push(`document ${i + 1}: needs apiVersion, kind and metadata.name`);
      continue;
    }
    const Model = await modelClass(o.apiVersion, o.kind);
    if (!Model) {
      problems.push(`${name}: no model for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      problems.push(`${name}: ${e.message}`);
      continue;
    }
    if (o.kind === 'Deployment') problems.push(...deploymentProblems(o).map((p) => `${name}: ${p}`));
    counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  }
  return { problems, counts };
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  const { problems, counts } = await validateFile(file);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (problems.length) {
    failed++;
    console.log(`${file}: ${problems.length} problem(s)`);
    for (const p of problems) console.log(`  ${p}`);
  } else if (total === 0) {
    failed++;
    console.log(`${file}: no objects`);
  } else {
    const kinds = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
    console.log(`${file}: ${total} objects valid (${kinds})`);
  }
}
process.exitCode = failed ? 1 : 0;
