import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './typecheck';

/**
 * Markdown files whose samples are not checked, each with the reason. Remove a line when its file passes.
 * docs/writing-an-adapter.md is being rewritten with the one-adapter engine; its samples are checked after that.
 */
export const EXCLUDED: Readonly<Record<string, string>> = {};

/** A fenced TypeScript or JavaScript block of a markdown file, with the hidden context declared before it. */
export interface DocSample {
  /** The markdown file, relative to the repository root. */
  readonly file: string;
  /** The 1-based line of the block's first code line in the markdown file. */
  readonly line: number;
  readonly lang: 'ts' | 'tsx' | 'js';
  readonly code: string;
  /** Code from a `<!-- doc-sample: context ... -->` comment, prepended when the sample is checked or run. */
  readonly context: string;
  /** Marked `<!-- doc-sample: run -->`: executed as jest tests. */
  readonly run: boolean;
}

const LANGS: Readonly<Record<string, DocSample['lang']>> = { ts: 'ts', typescript: 'ts', tsx: 'tsx', js: 'js', javascript: 'js' };

/**
 * The markdown files whose samples are checked: README.md, docs/*.md and docs/vendors/*.md, less EXCLUDED.
 *
 * @example
 * docFiles(); // ['README.md', 'docs/demo.md', ...]
 */
export function docFiles(): string[] {
  const inDir = (dir: string) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `${dir}/${name}`);
  return ['README.md', ...inDir('docs'), ...inDir('docs/vendors')].filter((file) => !(file in EXCLUDED));
}

/**
 * The ts/tsx/js blocks of a markdown text. HTML comments right before a block (blank lines between are fine) are
 * its directives: `<!-- doc-sample: run -->` runs it, `<!-- doc-sample: context` + code + `-->` declares what a
 * deliberately partial sample assumes.
 *
 * @example
 * extractSamples('```ts\nconst a = 1;\n```\n', 'x.md'); // [{ file: 'x.md', line: 2, lang: 'ts', code: 'const a = 1;', ... }]
 */
export function extractSamples(markdown: string, file: string): DocSample[] {
  const lines = markdown.split('\n');
  const samples: DocSample[] = [];
  let context: string[] = [];
  let run = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    const directive = /^<!--\s*doc-sample:\s*(\w+)(.*)$/.exec(trimmed);
    if (directive) {
      const [, kind, rest] = directive;
      if (kind === 'run' && rest!.trim() === '-->') run = true;
      else if (kind === 'context') {
        const end = lines.findIndex((candidate, j) => j > i && candidate.trim() === '-->');
        if (end < 0) throw new Error(`${file}:${i + 1}: a doc-sample context comment needs a closing --> line`);
        context = [...context, ...lines.slice(i + 1, end)];
        i = end;
      } else throw new Error(`${file}:${i + 1}: unknown doc-sample directive "${trimmed}" (use run or context)`);
      continue;
    }
    const fence = /^(\s*)```(\w*)\s*$/.exec(line);
    if (fence) {
      const indent = fence[1]!.length;
      const end = lines.findIndex((candidate, j) => j > i && /^\s*```\s*$/.test(candidate));
      if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`);
      const lang = LANGS[fence[2]!];
      if (lang) {
        const code = lines.slice(i + 1, end).map((codeLine) => codeLine.slice(Math.min(indent, codeLine.search(/\S|$/))));
        samples.push({ file, line: i + 2, lang, code: code.join('\n'), context: context.join('\n'), run });
      }
      context = [];
      run = false;
      i = end;
      continue;
    }
    if (trimmed !== '') {
      context = [];
      run = false;
    }
  }
  return samples;
}

/**
 * Every checked sample of the docs.
 *
 * @example
 * allSamples().filter((sample) => sample.run);
 */
export function allSamples(): DocSample[] {
  return docFiles().flatMap((file) => extractSamples(readFileSync(join(ROOT, file), 'utf8'), file));
}

/**
 * The sample as a module file: its context, then its code, then `export {}` so that samples never share names.
 * `offset` is the number of lines before the code.
 *
 * @example
 * const { text, offset } = sampleModule(sample); // error line L of text is markdown line sample.line + L - offset - 1
 */
export function sampleModule(sample: DocSample): { text: string; offset: number } {
  const head = sample.context ? `${sample.context}\n` : '';
  return { text: `${head}${sample.code}\nexport {};\n`, offset: head ? head.split('\n').length - 1 : 0 };
}

/**
 * A file name for the sample: its markdown file and line, e.g. `docs/server.md.L33.ts`.
 *
 * @example
 * sampleFileName(sample); // 'README.md.L61.tsx'
 */
export function sampleFileName(sample: DocSample): string {
  return `${sample.file}.L${sample.line}.${sample.lang}`;
}
