// SPEC section 5: digest = sha256 hex of the RFC 8785 canonical JSON of the image's inputs.
import { createHash } from 'node:crypto';
import { CanonicalText, canonicalJson } from './canonical-json.js';
import type { StageSummary } from './dockerfile/analyze.js';
import type { ContextFile } from './context/select.js';

export const DIGEST_SCHEME = 'slipway-digest/1';

export interface DigestInputs {
  platform: string;
  stages: StageSummary[];
  args: Record<string, string | null>;
  files: ContextFile[];
  /** slipway image name -> its digest. */
  deps: Record<string, string>;
  /** The `# syntax=` frontend, when named (absent keeps digests of Dockerfiles without one unchanged). */
  syntax?: string;
}

export function canonicalDigestDocument(inputs: DigestInputs): string {
  const doc = {
    v: DIGEST_SCHEME,
    platform: inputs.platform,
    stages: inputs.stages.map((s) => ({ name: s.name, from: s.from, ...(s.platform !== undefined ? { platform: s.platform } : {}), instructions: s.instructions })),
    args: inputs.args,
    // Lists of strings are canonical as JSON.stringify writes them: one native call for them all.
    files: new CanonicalText(JSON.stringify(inputs.files.map((f) => [f.path, f.mode, f.oid]))),
    deps: inputs.deps,
    ...(inputs.syntax !== undefined ? { syntax: inputs.syntax } : {}),
  };
  return canonicalJson(doc);
}

export function computeDigest(inputs: DigestInputs): string {
  return createHash('sha256').update(canonicalDigestDocument(inputs), 'utf8').digest('hex');
}
