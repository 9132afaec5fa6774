// kubesim server-side apply with dotted keys (issue 11, item 1): keys like
// `app.kubernetes.io/name` and ConfigMap data `a.b` are one field each, as on a real API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubesim, type RunningKubesim } from '../src/testing.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startKubesim();
});
afterAll(() => sim?.stop());

const apply = (manager: string, body: unknown, force = true) =>
  sim.call('PATCH', `/api/v1/namespaces/default/configmaps/dotted?fieldManager=${manager}${force ? '&force=true' : ''}`, body, {
    contentType: 'application/apply-patch+yaml',
  });

const cm = (labels: Record<string, string>, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'dotted', labels },
  data,
});

describe('server-side apply of dotted keys', () => {
  it('records each dotted key as one field, removes what a manager stops applying, detects conflicts', async () => {
    const first = await apply('a', cm({ 'app.kubernetes.io/name': 'x', 'team.example.com/owner': 'me', plain: 'p' }, { 'a.b': '1', c: '2' }));
    expect(first.status, first.text).toBe(201);
    const entry = first.body.metadata.managedFields.find((e: { manager: string }) => e.manager === 'a');
    // The FieldsV1 a real API server writes for this object.
    expect(entry.fieldsV1).toEqual({
      'f:data': { 'f:a.b': {}, 'f:c': {} },
      'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/name': {}, 'f:plain': {}, 'f:team.example.com/owner': {} } },
    });

    const conflict = await apply('b', { ...cm({ 'team.example.com/owner': 'you' }, {}), data: undefined }, false);
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toBe('Apply failed with 1 conflict: conflict with "a": .metadata.labels.team.example.com/owner');
    expect(conflict.body.details.causes[0].field).toBe('.metadata.labels.team.example.com/owner');

    const second = await apply('a', cm({ plain: 'p' }, { c: '2' }));
    expect(second.status, second.text).toBe(200);
    expect(second.body.metadata.labels).toEqual({ plain: 'p' });
    expect(second.body.data).toEqual({ c: '2' });
  });
});
