import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../../', import.meta.url);
const bin = new URL('packages/server/bin/headway.js', root);
const shebang = readFileSync(bin, 'utf8').split('\n', 1)[0]!;
const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the node flags headway runs with', () => {
  it('are the same for the installed command, npm start and npm run bench', () => {
    const flags = /^#!\/usr\/bin\/env -S node((?: --\S+)*)$/.exec(shebang)?.[1]?.trim();
    expect(flags).toBe('--max-semi-space-size=64');
    expect(scripts.start).toContain(`node ${flags} packages/server/bin/headway.js serve --demo`);
    expect(scripts.bench).toContain(`node ${flags} --import tsx bench/run.ts`);
  });

  it('reach node through the shebang: env -S splits them, and node takes them (it refuses a bad flag)', () => {
    const command = shebang.slice('#!/usr/bin/env -S '.length);
    const seen = execFileSync('/usr/bin/env', ['-S', `${command} -e "process.stdout.write(JSON.stringify(process.execArgv))"`], { encoding: 'utf8' });
    expect(JSON.parse(seen)).toContain('--max-semi-space-size=64');
  });
});
