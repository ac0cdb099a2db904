/**
 * README (issue 11, item 16): every link of the Contents list resolves — an anchor to a heading of the
 * README, a path to a file of the repository; the README shows an `analyses:` block; the first library
 * snippet imports every function it calls; and the README cites no design note outside the repository.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';

const readme = readFileSync('README.md', 'utf8');

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

describe('README', () => {
  const start = readme.indexOf('## Contents');
  const contents = readme.slice(start, readme.indexOf('\n## ', start + 3));
  const links = [...contents.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
  const anchors = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));

  it('has a Contents list whose every link resolves', () => {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(links.length).toBeGreaterThan(10);
    for (const l of links) {
      if (l.startsWith('#')) expect(anchors.has(l.slice(1)), l).toBe(true);
      else expect(existsSync(l.split('#')[0]), l).toBe(true);
    }
  });

  it('shows an analyses: block in a yaml example', () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.some((b) => /^analyses:(\s|$)/m.test(b))).toBe(true);
  });

  it('the library snippet imports every function it calls', () => {
    const lib = readme.slice(readme.indexOf('## Library API'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(lib)![1];
    const imported = new Set(
      [...snippet.matchAll(/import \{([^}]+)\}/g)].flatMap((m) => m[1].split(',').map((s) => s.trim())),
    );
    const called = [...snippet.matchAll(/(?<![.\w])([a-z]\w*)\(/g)].map((m) => m[1]);
    const globals = new Set(['structuredClone']);
    for (const f of called) if (!globals.has(f)) expect(imported.has(f), f).toBe(true);
  });

  it('cites no design note outside the repository', () => {
    expect(readme).not.toMatch(/\b(METHODS|PRODUCT|STYLE)\.md\b|\.\.\/shared\//);
  });
});
