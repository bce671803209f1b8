// The public API report: for every entry of the package (rollup.config.mjs `entries`), the declarations it exports as
// the .d.ts shows them (comments dropped, printed by TypeScript), sorted by name, and the library types they use that
// no entry exports (a user cannot name them). Written to api/<entry>.api.md; checked by `npm run api:check`, which
// .ci/run runs (`npm test` does not).
//   node scripts/api-report.mjs           writes the reports (npm run api:update)
//   node scripts/api-report.mjs --check   fails, naming the entries, when a report is out of date
// A stand-in for API Extractor: it needs no build (API Extractor reads dist/types and brings its own TypeScript),
// and it runs on the repository's TypeScript in a few seconds.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { entries } from '../rollup.config.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'api');
const UPDATE = 'npm run api:update';

const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram({
  rootNames: Object.values(entries).map((file) => join(root, file)),
  options: { ...config.options, noEmit: false, emitDeclarationOnly: true, declaration: true, declarationMap: false, sourceMap: false },
});
const checker = program.getTypeChecker();

// The declarations of every library file, emitted in memory.
const declarations = new Map();
program.emit(undefined, (file, text) => declarations.set(resolve(file), ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)), undefined, true);
const dtsOf = (sourceFile) => {
  const outFile = resolve(config.options.declarationDir, relative(join(root, 'lib'), sourceFile.fileName)).replace(/\.tsx?$/, '.d.ts');
  return declarations.get(outFile);
};

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
const isLibrary = (node) => resolve(node.getSourceFile().fileName).startsWith(join(root, 'lib') + '/');
const target = (symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

/** The statements of a .d.ts that declare `name` (a function's overloads are several). */
function statementsNamed(dts, name) {
  return dts.statements.filter((statement) => {
    if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.some((d) => d.name.getText(dts) === name);
    return statement.name?.getText(dts) === name;
  });
}

/** Library types a declaration mentions (its signature, not its body). */
function referencedSymbols(declaration) {
  const found = new Set();
  const visit = (node) => {
    if (ts.isClassElement(node) && (ts.isPrivateIdentifier(node.name ?? node) || ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Private)) return;
    if ((ts.isFunctionLike(node) && node.body && node !== declaration) || ts.isBlock(node)) {
      if (!ts.isBlock(node)) for (const child of [...(node.typeParameters ?? []), ...node.parameters, ...(node.type ? [node.type] : [])]) visit(child);
      return;
    }
    if (ts.isVariableDeclaration(node) && node.initializer) {
      if (node.type) visit(node.type);
      return;
    }
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node) || ts.isTypeQueryNode(node)) {
      const name = ts.isTypeReferenceNode(node) ? node.typeName : ts.isTypeQueryNode(node) ? node.exprName : node.expression;
      const symbol = checker.getSymbolAtLocation(ts.isQualifiedName(name) ? name.left : name);
      if (symbol) found.add(target(symbol));
    }
    ts.forEachChild(node, visit);
  };
  if (ts.isFunctionDeclaration(declaration) && !declaration.type) {
    const signature = checker.getSignatureFromDeclaration(declaration);
    const returned = signature && checker.getReturnTypeOfSignature(signature);
    const symbol = returned?.aliasSymbol ?? returned?.getSymbol();
    if (symbol) found.add(symbol);
  }
  if (ts.isFunctionDeclaration(declaration)) {
    for (const child of [...(declaration.typeParameters ?? []), ...declaration.parameters, ...(declaration.type ? [declaration.type] : [])]) visit(child);
  } else visit(declaration);
  return found;
}

const exportsOf = (file) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(join(root, file))));
/** What a user can import from some entry. */
const publicSymbols = new Set(Object.values(entries).flatMap((file) => exportsOf(file).map(target)));

/** The report of one entry, as markdown. */
function report(entry, file) {
  const exported = exportsOf(file);
  const blocks = [];
  const missing = new Map();
  for (const symbol of [...exported].sort((a, b) => a.name.localeCompare(b.name))) {
    const original = target(symbol);
    const texts = [];
    for (const declaration of original.declarations ?? []) {
      const dts = dtsOf(declaration.getSourceFile());
      const statements = dts ? statementsNamed(dts, original.name) : [];
      for (const statement of statements) texts.push(printer.printNode(ts.EmitHint.Unspecified, statement, dts));
      for (const used of referencedSymbols(declaration)) {
        const where = used.declarations?.[0];
        if (!where || !isLibrary(where) || publicSymbols.has(used) || used.flags & ts.SymbolFlags.TypeParameter) continue;
        const users = missing.get(used.name) ?? { file: relative(root, where.getSourceFile().fileName), users: new Set() };
        users.users.add(symbol.name);
        missing.set(used.name, users);
      }
    }
    const unique = [...new Set(texts)];
    const alias = symbol.name === original.name ? '' : `// exported as ${symbol.name}\n`;
    blocks.push(alias + (unique.length > 0 ? unique.join('\n') : `// ${symbol.name}: no declaration found`));
  }
  const name = entry === 'index' ? 'rx-service-desk' : `rx-service-desk/${entry}`;
  const lines = [
    `# API report: \`${name}\``,
    '',
    `<!-- Generated from ${file} by scripts/api-report.mjs. Do not edit: run \`${UPDATE}\` and review the diff. -->`,
    '',
    `${exported.length} exports.`,
    '',
    '```ts',
    blocks.join('\n\n'),
    '```',
    '',
  ];
  if (missing.size > 0) {
    lines.push('## Used by the exports above, exported by no entry', '');
    for (const [used, { file: where, users }] of [...missing].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`- \`${used}\` (${where}), used by ${[...users].sort().map((user) => `\`${user}\``).join(', ')}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

const reports = new Map(Object.entries(entries).map(([entry, file]) => [`${entry.replaceAll('/', '-')}.api.md`, report(entry, file)]));

if (process.argv.includes('--check')) {
  const read = (name) => {
    try {
      return readFileSync(join(outDir, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  const stale = [...reports].filter(([name, text]) => read(name) !== text).map(([name]) => `api/${name}`);
  const extra = readdirSync(outDir).filter((name) => name.endsWith('.api.md') && !reports.has(name)).map((name) => `api/${name}`);
  if (stale.length + extra.length > 0) {
    console.error(`The public API changed: ${[...stale, ...extra].join(', ')} ${stale.length + extra.length === 1 ? 'is' : 'are'} out of date.`);
    console.error(`Run \`${UPDATE}\`, review the diff of api/ and commit it with your change.`);
    process.exit(1);
  }
  console.log(`API reports up to date (${reports.size} entries).`);
} else {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir);
  for (const [name, text] of reports) writeFileSync(join(outDir, name), text);
  console.log(`Wrote ${reports.size} API reports to api/.`);
}
