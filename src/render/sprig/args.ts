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
