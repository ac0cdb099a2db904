/** Write docs/project.schema.json from the zod schema (`npm run schema`). */
import { writeFileSync, mkdirSync } from 'node:fs';
import { projectJsonSchema } from './project-schema.ts';

mkdirSync('docs', { recursive: true });
writeFileSync('docs/project.schema.json', JSON.stringify(projectJsonSchema(), null, 2) + '\n');
console.error('wrote docs/project.schema.json');
