// slipway.yaml (SPEC section 3) as a zod schema: the source of schema/slipway.schema.json
// (`npm run schema`) and the reference the run-time validator (validate.ts) is tested against.
// Only the schema script and tests load it: zod stays off every command's start-up.
import { z } from 'zod';
import { PLATFORM_PATTERN, REPO_PATTERN } from '../core/naming.js';
import type { SlipwayConfig } from './types.js';

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const name = (what: string) =>
  z.string().max(63).regex(NAME, `${what} must be lowercase letters, digits and '-' (not at the ends)`);
const repo = z
  .string()
  .regex(REPO_PATTERN, 'must be REGISTRY[/PATH] in lowercase, e.g. registry.example.com/shop or 127.0.0.1:5000/shop');
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/'), 'must be a path relative to the project directory');

export const imageSchema = z
  .strictObject({
    context: relativePath.default('.').describe('Build context, relative to the project directory'),
    dockerfile: relativePath.default('Dockerfile').describe('Dockerfile path, relative to the context'),
    target: z.string().min(1).optional().describe('Multi-stage target'),
    args: z
      .record(z.string().regex(ARG_NAME, 'build arg names are [A-Za-z_][A-Za-z0-9_]*'), z.union([z.string(), z.number(), z.boolean()]))
      .default({})
      .describe('Build args; only values of ARGs the Dockerfile declares count'),
    platform: z.string().regex(PLATFORM_PATTERN, 'must be os/arch[/variant], e.g. linux/amd64').default('linux/amd64'),
    repo: repo.optional().describe('Image repository; default <repo>/<image name>'),
    dependencies: z
      .array(
        z.strictObject({
          image: name('image name'),
          arg: z.string().regex(ARG_NAME, 'build arg names are [A-Za-z_][A-Za-z0-9_]*'),
        }),
      )
      .default([])
      .describe('Other images whose full reference is passed as a build arg'),
  })
  .describe('An image built from a Dockerfile');

export const deploySchema = z.strictObject({
  chart: relativePath.default('deploy').describe('Chart directory: values.yaml, values.<env>.yaml, templates/'),
  release: name('release').optional(),
  namespace: name('namespace').optional(),
});

export const configSchema = z
  .strictObject({
    project: name('project'),
    repo: repo.optional().describe('Default for --repo'),
    images: z.record(name('image name'), imageSchema).default({}),
    deploy: deploySchema.default({ chart: 'deploy' }),
  })
  .describe('slipway project configuration');

// The hand-written types say the same as the schema (a compile error here when they drift).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const typesMatchSchema: Same<z.output<typeof configSchema>, SlipwayConfig> = true;

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://slipway.dev/schema/slipway.schema.json',
    title: 'slipway.yaml',
  };
}
