import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { ROOT } from './typecheck';

// What `npm pack` ships (files of package.json), read without building: dist/ is left out of these checks.
const packed: string[] = (
  JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString()) as [
    { files: { path: string }[] },
  ]
)[0].files.map((file) => file.path);

describe('the packed tarball', () => {
  it('ships every image that its markdown files show', () => {
    const shown = packed
      .filter((file) => file.endsWith('.md'))
      .flatMap((file) =>
        [...readFileSync(join(ROOT, file), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)]
          .map((match) => match[1]!)
          .filter((target) => !/^[a-z]+:/.test(target))
          .map((target) => normalize(join(dirname(file), target))),
      );
    expect(shown).toContain('docs/img/demo.png');
    expect(shown.filter((image) => !packed.includes(image))).toEqual([]);
  });

  it('leaves out docs/demo.md, which describes the demo that is not in the package', () => {
    expect(packed).not.toContain('docs/demo.md');
    expect(packed).toContain('docs/testing-vendor-behaviour.md');
  });

  it('states the Node version that engines requires', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('The library needs Node 20 or later (`engines`)');
  });
});
