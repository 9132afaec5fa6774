// Text output of `slipway digest` (stdout: data, one line per image; --explain: every input).
import type { ImageDigest } from '../../workflows/steps/images.js';

export function formatDigests(images: (ImageDigest & { present?: boolean })[]): string {
  const width = Math.max(0, ...images.map((i) => i.name.length));
  const presence = (i: { present?: boolean }) => (i.present === undefined ? '' : i.present ? '  present' : '  missing');
  return images.map((i) => `${i.name.padEnd(width)}  ${i.digest}  ${i.ref ?? '-'}${presence(i)}\n`).join('');
}

export function formatExplain(images: ImageDigest[]): string {
  return images
    .map((i) => {
      const lines = [
        `image ${i.name}`,
        `  digest      ${i.digest}`,
        `  ref         ${i.ref ?? '- (no repo configured)'}`,
        `  platform    ${i.inputs.platform}`,
        `  context     ${i.context}`,
        `  dockerfile  ${i.dockerfile}`,
        ...(i.inputs.syntax !== undefined ? [`  syntax      ${i.inputs.syntax}`] : []),
        `  stages (${i.inputs.stages.length}, reachable from the target)`,
      ];
      i.inputs.stages.forEach((s, n) => {
        lines.push(`    stage ${n}${s.name ? ` "${s.name}"` : ''} from ${s.from}${s.platform !== undefined ? ` (--platform ${s.platform})` : ''}`);
        for (const ins of s.instructions) lines.push(...ins.split('\n').map((l, k) => `      ${k === 0 ? '' : '| '}${l}`));
      });
      const args = Object.entries(i.inputs.args);
      lines.push(`  args (${args.length})`, ...args.map(([k, v]) => `    ${k}=${v === null ? '(unset)' : v}`));
      lines.push(`  files (${i.inputs.files.length})`, ...i.inputs.files.map((f) => `    ${f.mode} ${f.oid} ${f.path}`));
      const deps = Object.entries(i.inputs.deps);
      lines.push(`  deps (${deps.length})`, ...deps.map(([k, v]) => `    ${k} ${v}`));
      if (i.warnings.length) lines.push(`  warnings (${i.warnings.length})`, ...i.warnings.map((w) => `    ${w}`));
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}
