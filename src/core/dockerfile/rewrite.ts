// At build time `FROM <image>` and `COPY --from=<image>` (and `--mount=...,from=<image>`) that
// name a slipway image get that image's full reference. Stage names keep precedence.

export function rewriteImageRefs(text: string, refs: Readonly<Record<string, string>>, stageNames: ReadonlySet<string>): string {
  const swap = (name: string) => (name in refs && !stageNames.has(name.toLowerCase()) ? refs[name]! : name);
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*from\s+(?:--\S+\s+)*)(\S+)/i, (_m, head: string, image: string) => head + swap(image))
        .replace(/(--from=)([^\s,]+)/g, (_m, head: string, image: string) => head + swap(image))
        .replace(/(--mount=\S*?\bfrom=)([^\s,]+)/g, (_m, head: string, image: string) => head + swap(image)),
    )
    .join('\n');
}
