import { describe, expect, it } from 'vitest';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';

const withLabels = (labels: Record<string, string>) => ({ metadata: { name: 'x', labels } });

describe('label selectors (apimachinery labels.Parse)', () => {
  it('equality, inequality, existence and set requirements combine with AND', () => {
    const match = parseLabelSelector('app.kubernetes.io/name=web,tier!=db,env in (prod, stage),!legacy,team');
    expect(match(withLabels({ 'app.kubernetes.io/name': 'web', tier: 'fe', env: 'prod', team: 'a' }))).toBe(true);
    expect(match(withLabels({ 'app.kubernetes.io/name': 'web', tier: 'db', env: 'prod', team: 'a' }))).toBe(false);
    expect(match(withLabels({ 'app.kubernetes.io/name': 'web', env: 'dev', team: 'a' }))).toBe(false);
    expect(match(withLabels({ 'app.kubernetes.io/name': 'web', env: 'stage', team: 'a', legacy: '' }))).toBe(false);
    expect(match(withLabels({ 'app.kubernetes.io/name': 'web', env: 'stage' }))).toBe(false);
  });

  it('notin matches objects without the key; == is =; an empty selector matches everything', () => {
    expect(parseLabelSelector('env notin (prod)')(withLabels({}))).toBe(true);
    expect(parseLabelSelector('env notin (prod)')(withLabels({ env: 'prod' }))).toBe(false);
    expect(parseLabelSelector('env==prod')(withLabels({ env: 'prod' }))).toBe(true);
    expect(parseLabelSelector(null)({ metadata: {} })).toBe(true);
  });

  it('rejects what the apiserver cannot parse with 400', () => {
    expect(() => parseLabelSelector('a b c')).toThrow(/unable to parse requirement/);
  });
});

describe('field selectors', () => {
  it('knows the per-kind fields and refuses the rest', () => {
    const pod = { metadata: { name: 'p', namespace: 'd' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
    expect(parseFieldSelector('spec.nodeName=n1,status.phase!=Failed', 'Pod')(pod)).toBe(true);
    expect(parseFieldSelector('metadata.name==q', 'Pod')(pod)).toBe(false);
    expect(() => parseFieldSelector('spec.nodeName=n1', 'ConfigMap')).toThrow(/is not a known field selector/);
    expect(() => parseFieldSelector('nonsense', 'Pod')).toThrow(/invalid selector/);
  });

  it('Event source reads source.component', () => {
    const event = { metadata: { name: 'e' }, source: { component: 'kubelet' }, involvedObject: { kind: 'Pod', name: 'p' } };
    expect(parseFieldSelector('source=kubelet,involvedObject.kind=Pod', 'Event')(event)).toBe(true);
  });
});
