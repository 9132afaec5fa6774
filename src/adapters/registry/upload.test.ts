// Blob uploads and manifest writes against a scripted registry: the distribution spec's
// Location handling, mounts, retries of the whole upload, and digests checked on the way back.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseReference } from '../../core/image-ref.js';
import { EnvironmentError } from '../../errors.js';
import { MissingBlobsError } from '../../ports/index.js';
import { RegistryClient } from './client.js';

interface Call {
  method: string;
  url: string;
  body?: string;
}

function scripted(answers: ((call: Call) => Response)[]): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchFake = (async (url: string, init: RequestInit & { body?: unknown }) => {
    let body: string | undefined;
    if (Buffer.isBuffer(init.body)) body = init.body.toString();
    else if (init.body) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of init.body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
      body = Buffer.concat(chunks).toString();
    }
    const call = { method: init.method ?? 'GET', url, ...(body !== undefined ? { body } : {}) };
    calls.push(call);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected ${call.method} ${url}`);
    return answer(call);
  }) as unknown as typeof fetch;
  return { fetch: fetchFake, calls };
}

const none = { get: async () => null };
const bytes = Buffer.from('layer bytes');
const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const blob = { digest, size: bytes.length, open: async () => bytes };
const repo = parseReference('127.0.0.1:5000/team/app:t');

describe('blob upload', () => {
  it('POST then PUT to the Location (relative, with its own query) plus the digest; skips a blob already there', async () => {
    const { fetch, calls } = scripted([
      () => new Response(null, { status: 404 }),
      () => new Response(null, { status: 202, headers: { Location: '/v2/team/app/blobs/uploads/u1?_state=abc' } }),
      () => new Response(null, { status: 201 }),
      () => new Response(null, { status: 200 }),
    ]);
    const client = new RegistryClient({ credentials: none, fetch });
    await client.pushBlob(repo, blob);
    await client.pushBlob(repo, blob);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `HEAD http://127.0.0.1:5000/v2/team/app/blobs/${digest}`,
      'POST http://127.0.0.1:5000/v2/team/app/blobs/uploads/',
      `PUT http://127.0.0.1:5000/v2/team/app/blobs/uploads/u1?_state=abc&digest=${encodeURIComponent(digest)}`,
      `HEAD http://127.0.0.1:5000/v2/team/app/blobs/${digest}`,
    ]);
    expect(calls[2]!.body).toBe('layer bytes');
  });

  it('mounts from another repository when the registry can; a 202 to the mount continues as an upload', async () => {
    const mounted = scripted([() => new Response(null, { status: 404 }), () => new Response(null, { status: 201 })]);
    await new RegistryClient({ credentials: none, fetch: mounted.fetch }).pushBlob(repo, { ...blob, mountFrom: 'team/base' });
    expect(mounted.calls[1]!.url).toBe(`http://127.0.0.1:5000/v2/team/app/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=team%2Fbase`);
    expect(mounted.calls).toHaveLength(2);

    const declined = scripted([
      () => new Response(null, { status: 404 }),
      () => new Response(null, { status: 202, headers: { Location: 'http://127.0.0.1:5000/v2/team/app/blobs/uploads/u2' } }),
      () => new Response(null, { status: 201 }),
    ]);
    await new RegistryClient({ credentials: none, fetch: declined.fetch }).pushBlob(repo, { ...blob, mountFrom: 'team/base' });
    expect(declined.calls[2]!.method).toBe('PUT');
    expect(declined.calls[2]!.body).toBe('layer bytes');
  });

  it('retries the whole upload after a 5xx, reopening the bytes; a 4xx is exit 3 at once', async () => {
    let opened = 0;
    const { fetch, calls } = scripted([
      () => new Response(null, { status: 404 }),
      () => new Response(null, { status: 202, headers: { Location: '/v2/team/app/blobs/uploads/a' } }),
      () => new Response(null, { status: 500 }),
      () => new Response(null, { status: 202, headers: { Location: '/v2/team/app/blobs/uploads/b' } }),
      () => new Response(null, { status: 201 }),
    ]);
    await new RegistryClient({ credentials: none, fetch }).pushBlob(repo, { ...blob, open: async () => (opened++, bytes) });
    expect(opened).toBe(2);
    expect(calls.at(-1)!.url).toContain('/uploads/b?digest=');

    const refused = scripted([() => new Response(null, { status: 404 }), () => new Response('denied', { status: 403 })]);
    await expect(new RegistryClient({ credentials: none, fetch: refused.fetch }).pushBlob(repo, blob)).rejects.toThrow(EnvironmentError);
  });
});

describe('manifest write', () => {
  const manifest = Buffer.from('{"schemaVersion":2}');
  const local = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;

  it('PUTs the exact bytes under the tag and returns the digest the registry confirmed', async () => {
    const { fetch, calls } = scripted([() => new Response(null, { status: 201, headers: { 'Docker-Content-Digest': local } })]);
    expect(await new RegistryClient({ credentials: none, fetch }).putManifest(repo, 'application/vnd.docker.distribution.manifest.v2+json', manifest)).toBe(local);
    expect(calls[0]).toEqual({ method: 'PUT', url: 'http://127.0.0.1:5000/v2/team/app/manifests/t', body: '{"schemaVersion":2}' });
  });

  it('a registry that reports another digest for our bytes is exit 3, never trusted', async () => {
    const { fetch } = scripted([() => new Response(null, { status: 201, headers: { 'Docker-Content-Digest': `sha256:${'0'.repeat(64)}` } })]);
    await expect(new RegistryClient({ credentials: none, fetch }).putManifest(repo, 'x', manifest)).rejects.toThrow(/do not match/);
  });
});

describe('a manifest whose blobs the registry lost', () => {
  it('is a MissingBlobsError naming them (MANIFEST_BLOB_UNKNOWN)', async () => {
    const lost = `sha256:${'e'.repeat(64)}`;
    const body = JSON.stringify({ errors: [{ code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' }, { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: lost }] });
    const { fetch } = scripted([() => new Response(body, { status: 400 })]);
    const error = await new RegistryClient({ credentials: none, fetch }).putManifest(repo, 'x', Buffer.from('{}')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingBlobsError);
    expect((error as MissingBlobsError).digests).toEqual([lost]);
  });
});
