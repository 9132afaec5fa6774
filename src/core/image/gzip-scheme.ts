// What decides the compressed bytes of a layer, apart from pako itself (kept out of this module so
// that naming the scheme does not load pako).
export const GZIP_LEVEL = 6;

/** The pako version package.json pins, and the level (a test keeps the two in step). */
export const GZIP_SCHEME = `pako-3.0.3-level-${GZIP_LEVEL}`;
