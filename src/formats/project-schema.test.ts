import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { projectJsonSchema, ProjectFileSchema } from './project-schema.ts';

describe('project.yaml schema', () => {
  it('docs/project.schema.json is generated from the zod schema and up to date (npm run schema)', () => {
    const committed = JSON.parse(readFileSync('docs/project.schema.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(projectJsonSchema())));
  });
  it('rejects unknown top-level fields with their name', () => {
    const r = ProjectFileSchema.safeParse({ name: 'x', build: { steps: [] }, colour: 'red' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toContain('colour');
  });
});
