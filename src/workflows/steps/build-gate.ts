// Builds that pull the same slipway image from the registry start one after another. dockerd
// 20.10's BuildKit makes concurrent pulls of one image wait on each other: two dependants of one
// image built side by side took ~1 s each, one after the other ~0.3 s each (bench/README.md).
// A build waits for the earlier one only so long: a long build has pulled its base well before
// it ends, and must not hold the next one back for minutes.
import type { ImageReference } from '../../core/image-ref.js';
import type { ImageEngine } from '../../ports/index.js';

export const PULL_HEAD_START_MS = 2000;

/** `needs`: each image's reference -> the slipway images its build pulls. */
export function onePullAtATime(engine: ImageEngine, needs: ReadonlyMap<ImageReference, readonly string[]>, headStartMs = PULL_HEAD_START_MS): ImageEngine {
  const latest = new Map<string, Promise<void>>();
  return {
    build(request, log, signal) {
      const shared = needs.get(request.ref) ?? [];
      const earlier = shared.flatMap((name) => latest.get(name) ?? []);
      const started = earlier.length ? firstOf(Promise.all(earlier), headStartMs) : Promise.resolve();
      const built = started.then(() => engine.build(request, log, signal));
      const settled = built.then(() => undefined, () => undefined);
      for (const name of shared) latest.set(name, settled);
      return built;
    },
    save: (image, signal) => engine.save(image, signal),
    inspect: (ref) => engine.inspect(ref),
    discard: (image) => engine.discard(image),
  };
}

/** When `earlier` settles, or after `ms`; the timer goes with it (it never holds the process). */
function firstOf(earlier: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void earlier.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
