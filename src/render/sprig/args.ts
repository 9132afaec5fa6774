// Typed parameters, as Go's template engine checks them before a call: a wrong type is an error
// naming the helper (the environment adds the template line), never a coercion.
import { HelperTypeError, isMap, typeName } from './format.js';

export function str(v: unknown): string {
  if (typeof v !== 'string') throw new HelperTypeError(`wrong type for value; expected string; got ${typeName(v)}`);
  return v;
}

export function int(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new HelperTypeError(`wrong type for value; expected int; got ${typeName(v)}${typeof v === 'number' ? ` (${v}: use int to truncate)` : ''}`);
  return v;
}

export function bool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new HelperTypeError(`wrong type for value; expected bool; got ${typeName(v)}`);
  return v;
}

export function list(v: unknown, helper: string): unknown[] {
  if (!Array.isArray(v)) throw new HelperTypeError(`cannot ${helper} on type ${typeName(v)}: expected a list`);
  return v;
}

export function map(v: unknown, helper: string): Record<string, unknown> {
  if (!isMap(v)) throw new HelperTypeError(`cannot ${helper} on type ${typeName(v)}: expected a map`);
  return v;
}

/** A map that cannot reach Object.prototype (user keys such as `__proto__` stay data). */
export function newMap(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/**
 * The longest list a helper makes. Helm has none, but here `until 100000000` took 14 s and 1.5 GB
 * and ten times that would end the process, not the render with a located error.
 */
export const MAX_LIST_LENGTH = 1_000_000;

export function checkListLength(length: number): number {
  if (length > MAX_LIST_LENGTH) throw new Error(`render budget exceeded: a list of more than ${MAX_LIST_LENGTH} elements`);
  return length;
}
