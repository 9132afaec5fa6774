// Regenerates proto/: the real generated.proto files of the API groups kubesim serves (from
// k8s.io/api and k8s.io/apimachinery source trees), and proto/go-fields.json, which says, per
// message, which fields keep a zero value in JSON (Go pointers and fields without `omitempty`:
// gogo protobuf writes every non-pointer field, so the wire alone cannot tell), which are
// embedded Go structs whose fields JSON inlines (Probe's `handler`, Volume's `volumeSource`), and
// which have another name in JSON (`ref` is `$ref`, `xKubernetesPreserveUnknownFields` is
// `x-kubernetes-preserve-unknown-fields`).
//   node scripts/vendor-proto.mjs K8S_IO_API_DIR K8S_IO_APIMACHINERY_DIR K8S_IO_APIEXTENSIONS_APISERVER_DIR
// Vendored from kubernetes/api 10b39a39bcee995dfe7cd5e8e7b922be5e46f1e2,
// kubernetes/apimachinery eed236ceee2c19c2753a3d93ac0631dc20750454 and
// kubernetes/apiextensions-apiserver 1aa2717a552ee6ca1e2a18f1f8ffccde981db923.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [api, machinery, apiextensions] = process.argv.slice(2);
if (!api || !machinery || !apiextensions) {
  process.stderr.write('usage: node scripts/vendor-proto.mjs K8S_IO_API_DIR K8S_IO_APIMACHINERY_DIR K8S_IO_APIEXTENSIONS_APISERVER_DIR\n');
  process.exit(2);
}
const GROUPS = ['core/v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'policy/v1', 'networking/v1', 'discovery/v1', 'rbac/v1', 'storage/v1', 'scheduling/v1', 'coordination/v1', 'certificates/v1', 'authorization/v1', 'authentication/v1', 'events/v1'];
const MACHINERY = ['pkg/apis/meta/v1', 'pkg/runtime', 'pkg/runtime/schema', 'pkg/util/intstr', 'pkg/api/resource'];
const out = new URL('../proto/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
const sources = [
  ...GROUPS.map((g) => ({ dir: join(api, g), target: `k8s.io/api/${g}` })),
  ...MACHINERY.map((m) => ({ dir: join(machinery, m), target: `k8s.io/apimachinery/${m}` })),
  { dir: join(apiextensions, 'pkg/apis/apiextensions/v1'), target: 'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1' },
];
// Whatever these import (core/v1 imports scheduling/v1alpha3, for one) comes too.
for (let i = 0; i < sources.length; i++) {
  for (const [, imported] of readFileSync(join(sources[i].dir, 'generated.proto'), 'utf8').matchAll(/^import "(k8s\.io\/[^"]+)\/generated\.proto";/gm)) {
    if (sources.some((s) => s.target === imported)) continue;
    const [, repo, ...rest] = imported.split('/');
    sources.push({ dir: join(repo === 'api' ? api : repo === 'apimachinery' ? machinery : apiextensions, ...rest), target: imported });
  }
}
const messages = {};
for (const { dir, target } of sources) {
  const proto = join(dir, 'generated.proto');
  mkdirSync(join(out, target), { recursive: true });
  copyFileSync(proto, join(out, target, 'generated.proto'));
  const pkg = /^package ([\w.]+);/m.exec(readFileSync(proto, 'utf8'))[1];
  const goFiles = readdirSync(dir).filter((f) => /^types.*\.go$/.test(f) && !f.endsWith('_test.go'));
  for (const file of [...goFiles, 'micro_time.go', 'time.go', 'duration.go', 'intstr.go', 'quantity.go']) {
    if (!existsSync(join(dir, file))) continue;
    for (const [, name, body] of readFileSync(join(dir, file), 'utf8').matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const keep = [];
      const inline = [];
      const rename = {};
      for (const [, first, second, json, protoName] of body.matchAll(/^\t(\S+)(?:[ \t]+([^\s`]+))?[ \t]+`json:"([^"]*)" protobuf:"[^"]*name=(\w+)/gm)) {
        const [jsonName, ...flags] = json.split(',');
        const type = second ?? first;
        if (jsonName !== '' && jsonName !== protoName) rename[protoName] = jsonName;
        if (jsonName === '') inline.push(protoName);
        else if (type.startsWith('*') || !flags.includes('omitempty')) keep.push(protoName);
      }
      const renamed = Object.keys(rename).sort();
      if (keep.length || inline.length || renamed.length) {
        messages[`${pkg}.${name}`] = { ...(keep.length ? { keep: keep.sort() } : {}), ...(inline.length ? { inline: inline.sort() } : {}), ...(renamed.length ? { rename: Object.fromEntries(renamed.map((k) => [k, rename[k]])) } : {}) };
      }
    }
  }
}
const sortedMessages = Object.fromEntries(Object.keys(messages).sort().map((k) => [k, messages[k]]));
writeFileSync(join(out, 'go-fields.json'), `${JSON.stringify(sortedMessages, null, 1)}\n`);
process.stdout.write(`${sources.length} proto files, ${Object.keys(messages).length} messages with zero-keeping or inline fields\n`);
