import * as ts from 'typescript';
import { allSamples, docFiles, EXCLUDED, extractSamples, sampleFileName, sampleModule, type DocSample } from './samples';
import { entrySources, TSC_5, TSC_7, typecheck, type Compiler } from './typecheck';

// Every ts/tsx/js block of README.md, docs/*.md and docs/vendors/*.md is type-checked in strict mode as a consumer
// would write it (TypeScript 5.9 and TypeScript 7), and the blocks marked `<!-- doc-sample: run -->` run as tests.
// The conventions are in README.md ("Samples in the docs are tested").

const samples = allSamples();

function errorsOf(compiler: Compiler): string[] {
  const byName = new Map(samples.map((sample) => [sampleFileName(sample), sample]));
  const files = Object.fromEntries(samples.map((sample) => [sampleFileName(sample), sampleModule(sample).text]));
  return typecheck(compiler, `doc-samples-${compiler.id}`, files).map((error) => {
    const sample = byName.get(error.file);
    if (!sample) return `${error.file || '(tsc)'}:${error.line} ${error.code} ${error.message}`;
    const line = error.line - sampleModule(sample).offset;
    const where = line >= 1 ? `${sample.file}:${sample.line + line - 1}` : `${sample.file}:${sample.line} (its context comment)`;
    return `${where} ${error.code} ${error.message}`;
  }).sort();
}

describe('doc samples', () => {
  it('finds the samples of every doc, less the excluded ones', () => {
    expect(docFiles()).toContain('README.md');
    expect(docFiles()).toContain('docs/vendors/twilio.md');
    for (const file of Object.keys(EXCLUDED)) expect(docFiles()).not.toContain(file);
    expect(samples.length).toBeGreaterThan(10);
    expect(samples.filter((sample) => sample.run).length).toBeGreaterThan(0);
  });

  it('reads the directives before a block, its line and its indentation', () => {
    const markdown = [
      '```ts',
      'const a = 1;',
      '```',
      '<!-- doc-sample: context',
      'declare const adapter: unknown;',
      '-->',
      '',
      '<!-- doc-sample: run -->',
      '  ```tsx',
      '  use(adapter);',
      '  ```',
      '```sh',
      'npm test',
      '```',
    ].join('\n');
    expect(extractSamples(markdown, 'x.md')).toEqual([
      { file: 'x.md', line: 2, lang: 'ts', code: 'const a = 1;', context: '', run: false },
      { file: 'x.md', line: 10, lang: 'tsx', code: 'use(adapter);', context: 'declare const adapter: unknown;', run: true },
    ]);
    expect(() => extractSamples('<!-- doc-sample: skip -->\n', 'x.md')).toThrow('x.md:1: unknown doc-sample directive');
  });

  it.each([TSC_5, TSC_7])('every sample type-checks in strict mode ($name)', (compiler) => {
    expect(errorsOf(compiler)).toEqual([]);
  });
});

function runSample(sample: DocSample): void {
  const entries = entrySources();
  const load = (id: string): unknown => require(entries[id] ?? id);
  const { outputText } = ts.transpileModule(sampleModule(sample).text, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX, esModuleInterop: true },
    fileName: sampleFileName(sample),
  });
  let tests = 0;
  const count = (name: string, fn: jest.ProvidesCallback) => {
    tests += 1;
    it(name, fn);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', 'it', 'test', 'expect', 'jest', outputText)(load, module, module.exports, count, count, expect, jest);
  if (tests === 0) throw new Error(`${sample.file}:${sample.line} is marked run but defines no it(...)`);
}

for (const sample of samples.filter((candidate) => candidate.run)) {
  describe(`${sample.file}:${sample.line} (runnable sample)`, () => runSample(sample));
}
