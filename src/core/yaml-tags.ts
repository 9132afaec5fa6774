// YAML's explicit types as Kubernetes and Helm read them (sigs.k8s.io/yaml over go-yaml v2): every
// value is JSON data. The yaml library would make Dates, Sets, Maps and Buffers of them, which JSON
// turns into other text or `{}`: a silent wrong object in the cluster.
import type { ScalarTag, Tags } from 'yaml';

const BINARY = 'tag:yaml.org,2002:binary';
// go-yaml keeps a timestamp as the text written, a !!set as the mapping and an !!omap or !!pairs as
// the sequence of one-entry mappings they are written as: drop the tags, keep the nodes.
const AS_WRITTEN = new Set([BINARY, 'tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:set', 'tag:yaml.org,2002:omap', 'tag:yaml.org,2002:pairs']);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** go-yaml decodes a !!binary scalar into a string of its bytes; bytes that are not UTF-8 text are refused, not mangled. */
const binaryAsText: ScalarTag = {
  tag: BINARY,
  default: false,
  identify: () => false,
  resolve(source, onError) {
    const base64 = source.replace(/[\r\n]/g, ''); // as Go's decoder, which skips line breaks
    if (!BASE64.test(base64)) {
      onError('!!binary value contains invalid base64 data');
      return source;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.from(base64, 'base64'));
    } catch {
      onError('!!binary value is not UTF-8 text, and JSON, which the API server reads, has no bytes; for binaryData, write the base64 text without !!binary');
      return source;
    }
  },
};

function kubernetesTags(tags: Tags): Tags {
  return [...tags.filter((t) => !AS_WRITTEN.has(typeof t === 'string' ? `tag:yaml.org,2002:${t}` : t.tag)), binaryAsText];
}

/** Parse options that give JSON data only, as Kubernetes reads the same text; spread into the library's options. */
export const KUBERNETES_TAGS = { customTags: kubernetesTags, resolveKnownTags: false } as const;
