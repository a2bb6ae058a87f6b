import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEMI_SPACE_FLAG } from '../../src/cli/young-generation.js';

const root = new URL('../../../../', import.meta.url);
const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts;
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('the node flags the service runs with', () => {
  it('are the same for npm start, npm run bench, headway serve and the README production advice', () => {
    const flags = /\bnode((?: --\S+)*) packages\/server\/bin\/headway\.js serve --demo/.exec(scripts.start ?? '')?.[1]?.trim();
    expect(flags).toBe('--max-semi-space-size=64');
    expect(SEMI_SPACE_FLAG).toBe(flags);
    expect(scripts.bench).toContain(`node ${flags} --import tsx bench/run.ts`);
    expect(readme).toContain(`NODE_OPTIONS=${flags} npx headway serve`);
  });
});
