import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../dockerfile/parse.js';
import { analyzeDockerfile } from '../dockerfile/analyze.js';
import { runSeesContextDirectories } from './directory-times.js';

const files = ['lib.sh', 'src/app.js', 'src/handlers/a.sh', 'static/site/index.html'].map((path) => ({ path }));

function seen(text: string, context = files): boolean {
  const dockerfile = parseDockerfile(text);
  const analysis = analyzeDockerfile({ dockerfile, platform: 'linux/amd64', buildArgs: {}, dependencyArgs: {}, imageNames: new Set() });
  return runSeesContextDirectories(dockerfile.instructions, analysis.sources, context);
}

describe('runSeesContextDirectories', () => {
  it('no RUN step, or only files copied: directory times cannot reach the image bytes', () => {
    expect(seen('FROM busybox\nCOPY src/ /app/\nCOPY . /all/\n')).toBe(false);
    expect(seen('FROM busybox\nRUN mkdir /app\nCOPY lib.sh src/app.js /app/\nRUN sh /app/lib.sh\n')).toBe(false);
    expect(seen('FROM busybox\nCOPY *.sh /app/\nRUN ls -l /app\n')).toBe(false);
    expect(seen('FROM busybox\nCOPY . /app/\nRUN ls -l /app\n', [{ path: 'lib.sh' }, { path: 'Dockerfile' }])).toBe(false);
  });

  it('a directory copied (named, by glob, or the whole context) and any RUN step: they can', () => {
    expect(seen('FROM busybox\nCOPY src/ ./\nRUN tar c . > /out.tar\n')).toBe(true);
    expect(seen('FROM busybox\nCOPY s* /app/\nRUN ls -l /app\n')).toBe(true);
    expect(seen('FROM busybox\nCOPY static/site /srv\nRUN ls -l /srv\n')).toBe(true);
    expect(seen('FROM busybox\nCOPY . /app/\nRUN ls -l /app\n')).toBe(true);
    // Conservative: any RUN of the Dockerfile counts, whatever its place.
    expect(seen('FROM busybox AS b\nRUN echo first\nFROM busybox AS a\nCOPY src/ /ctx/\nFROM b\nCOPY --from=a /ctx /ctx\n')).toBe(true);
  });

  it('a RUN step that mounts the context sees it directly', () => {
    expect(seen('FROM busybox\nRUN --mount=type=bind,source=lib.sh,target=/l.sh sh /l.sh\n')).toBe(true);
  });
});
