// YAML as Kubernetes reads it: YAML 1.1 (so `yes`/`on` strings get quoted on output), no folding.
import { stringify } from 'yaml';

export function stringifyYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}
