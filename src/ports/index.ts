// The small interfaces workflows depend on, one file per capability. Adapters implement them;
// tests use hand-written fakes.
export * from './cluster.js';
export type * from './engine.js';
export * from './registry.js';
export type * from './reporter.js';
export type * from './source.js';
export type * from './layers.js';
export type * from './templates.js';
