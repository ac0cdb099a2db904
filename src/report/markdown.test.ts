import { describe, it, expect } from 'vitest';
import { bodyForLanguage, escapeHtml, markdownToHtml } from './markdown.ts';

describe('markdown for case bodies', () => {
  it('escapes before formatting, so case text cannot inject markup', () => {
    expect(escapeHtml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
    expect(markdownToHtml('<script>x</script> **b**')).toBe('<p>&lt;script&gt;x&lt;/script&gt; <strong>b</strong></p>');
  });
  it('headings (shifted), lists, code and links as text', () => {
    expect(markdownToHtml('# T\n\n- **a**\n- b', 3)).toBe('<h4>T</h4>\n<ul><li><strong>a</strong></li><li>b</li></ul>');
    expect(markdownToHtml('1. x\n2. `y`')).toBe('<ol><li>x</li><li><code>y</code></li></ol>');
    expect(markdownToHtml('see [site](https://example.org)')).toBe(
      '<p>see site <span class="url">(https://example.org)</span></p>',
    );
    expect(markdownToHtml('*it* and a*b')).toBe('<p><em>it</em> and a*b</p>');
  });
  it('splits a bilingual body at "## English summary"', () => {
    const body = '# 标题\n\n中文\n\n## English summary\n\nText';
    expect(bodyForLanguage(body, 'zh')).toBe('# 标题\n\n中文');
    expect(bodyForLanguage(body, 'en')).toBe('## English summary\n\nText');
    expect(bodyForLanguage('only one', 'en')).toBe('only one');
  });
});
