import { describe, expect, it } from 'vitest';
import { goTemplateHint } from './go-syntax.js';

describe('Go-template hints', () => {
  it.each([
    ['a: {{ .Values.image.tag }}', 'write {{values.image.tag}}'],
    ['a: {{ .Release.Name }}', 'write {{release.name}}'],
    ['a: {{ .Files.Get "x" }}', 'write {{file "path"}}'],
    ['a: {{ toYaml .Values.x | nindent 4 }}', 'write {{nindent x}} instead of {{ x | nindent }}'],
    ['{{- range .Values.list }}', '{{~ and ~}}'],
    ['{{ $name := "x" }}', 'use block parameters'],
    ['{{ else if x }}', 'write {{else if x}} inside {{#if}}'],
  ])('%s', (line, hint) => {
    expect(goTemplateHint(line, 1)).toContain(hint);
  });

  it('says nothing about Handlebars syntax: block parameters, ~ trimming, subexpressions', () => {
    expect(goTemplateHint('{{#each values.list as |item|}}{{item}}{{/each}}', 1)).toBeUndefined();
    expect(goTemplateHint('{{~#if values.x~}}{{nindent 4 (toYaml values.y)}}{{~/if}}', 1)).toBeUndefined();
  });

  it('looks at the failing line first, then the file', () => {
    const source = 'a: {{ .Values.a }}\nb: {{ values.b | quote }}\n';
    expect(goTemplateHint(source, 2)).toContain('pipes are Go template syntax');
    expect(goTemplateHint(source, 3)).toContain('write {{values.a}}');
  });
});
