// `npm run schema`: regenerates schema/slipway.schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from './schema.js';

const target = fileURLToPath(new URL('../../schema/slipway.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stderr.write(`wrote ${target}\n`);
