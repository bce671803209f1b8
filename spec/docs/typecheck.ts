import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(__dirname, '../..');

/** A compiler to check with: TypeScript 5.9 (the repo's `tsc`) and TypeScript 7 (the native `tsgo`). */
export interface Compiler {
  /** A short name for file names, e.g. `ts5`. */
  readonly id: string;
  readonly name: string;
  readonly bin: string;
}

export const TSC_5: Compiler = { id: 'ts5', name: 'TypeScript 5.9', bin: join(ROOT, 'node_modules/typescript/bin/tsc') };
export const TSC_7: Compiler = { id: 'ts7', name: 'TypeScript 7 (native preview)', bin: join(ROOT, 'node_modules/@typescript/native-preview/bin/tsgo') };

/** One compiler error: the file (relative to the checked folder), its 1-based line, the code and the message. */
export interface CompileError {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

/**
 * Each public entry (`rx-service-desk`, `rx-service-desk/testing`...) mapped to its source file, from the exports map
 * of package.json: a consumer's import path, checked against lib/ without a build.
 *
 * @example
 * entrySources()['rx-service-desk/testing']; // '/repo/lib/testing/index.ts'
 */
export function entrySources(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { import?: { types?: string } }>;
  };
  const entries: Record<string, string> = {};
  for (const [key, value] of Object.entries(pkg.exports)) {
    if (typeof value === 'string') continue;
    const types = value.import?.types;
    if (!types) continue;
    const name = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    entries[name] = join(ROOT, types.replace(/^\.\/dist\/types\//, 'lib/').replace(/\.d\.ts$/, '.ts'));
  }
  return entries;
}

/**
 * Type-checks some files in strict mode, as a consumer of the package would (its entries resolve to lib/), and
 * returns the errors found in them. The files are written to a folder inside the repository (so that packages
 * resolve from its node_modules), `.typecheck/<name>` (git-ignored), which is kept with the compiler's incremental
 * build info so that the next run only checks again what changed.
 *
 * @example
 * typecheck(TSC_5, 'emitter', { 'a.ts': "import { fromEmitter } from 'rx-service-desk';" }); // []
 */
export function typecheck(compiler: Compiler, name: string, files: Record<string, string>): CompileError[] {
  const dir = join(ROOT, '.typecheck', name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const paths = Object.fromEntries(Object.entries(entrySources()).map(([entry, source]) => [entry, [source]]));
  const tsconfig = {
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      jsx: 'react-jsx',
      types: ['node', 'jest'],
      allowJs: true,
      checkJs: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      incremental: true,
      tsBuildInfoFile: 'tsconfig.tsbuildinfo',
      paths,
    },
    files: Object.keys(files),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  let output = '';
  try {
    execFileSync(process.execPath, [compiler.bin, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, stdio: 'pipe' });
  } catch (error) {
    const failed = error as { stdout?: Buffer; stderr?: Buffer };
    output = `${failed.stdout?.toString() ?? ''}${failed.stderr?.toString() ?? ''}`;
    if (!output.trim()) throw error;
  }
  return parseErrors(output);
}

function parseErrors(output: string): CompileError[] {
  const errors: CompileError[] = [];
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (match) errors.push({ file: match[1]!, line: Number(match[2]), code: match[3]!, message: match[4]! });
    else if (/error TS\d+/.test(line)) errors.push({ file: '', line: 0, code: 'TS', message: line });
  }
  return errors;
}
