// The text result of deploy commands: one line per resource, aligned columns.
import type { ResourceResult } from '../../workflows/steps/deploy.js';

export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd() + '\n').join('');
}

export function resourceTable(resources: ResourceResult[]): string {
  return table([
    ['KIND', 'NAMESPACE', 'NAME', 'ACTION', 'STATUS', 'SECONDS'],
    ...resources.map((r) => [r.kind, r.namespace ?? '', r.name, r.action, r.status, String(r.seconds)]),
  ]);
}
