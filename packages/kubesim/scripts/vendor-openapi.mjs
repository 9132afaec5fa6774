// Regenerates openapi/definitions.json.gz from a real Kubernetes OpenAPI v2 document
// (swagger.json): only its `definitions` (schemas with descriptions, list and map types, patch
// strategies, group-version-kinds), keys sorted, gzipped.
//   node scripts/vendor-openapi.mjs path/to/swagger.json
// The vendored copy comes from kubernetes-client/javascript src/gen/swagger.json.unprocessed at
// 072811b3615b6d97a56448c89f6674574cebd0bb (KUBERNETES_BRANCH v1.35.0).
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const source = process.argv[2];
if (!source) {
  process.stderr.write('usage: node scripts/vendor-openapi.mjs SWAGGER_JSON\n');
  process.exit(2);
}
const swagger = JSON.parse(readFileSync(source, 'utf8'));
const sorted = (v) => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);
const out = JSON.stringify(sorted({ info: swagger.info, definitions: swagger.definitions }));
writeFileSync(new URL('../openapi/definitions.json.gz', import.meta.url), gzipSync(out, { level: 9 }));
process.stdout.write(`${Object.keys(swagger.definitions).length} definitions, ${out.length} bytes\n`);
