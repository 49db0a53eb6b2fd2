// Type-checking scenario files against dsim's own types, as `dsim typecheck` and `--typecheck` on
// run and sweep do (tsx, which loads them, only strips types). The compiler options are the
// user's: the tsconfig.json nearest the first file, else strict defaults for an ES module on Node.
// Whatever the options, `import … from "dsim"` (and "dsim/kit") means this dsim's types, as the
// loader maps it at run time (typescript.js). Only the user's files are reported: not dsim's own
// modules, nor anything under node_modules.
//
// TypeScript is not a dependency of dsim (it would add tsc to every user's .bin): it is an
// optional peer. It is taken from the scenario's project (the one its editor uses), else from
// beside dsim; if neither has it, the check is refused (exit 2) with how to install it.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type * as TypeScript from "typescript";
import { UsageError } from "../core/errors.ts";
import { OWN_ENTRY_POINTS, PACKAGE_ROOT, RUNS_COMPILED } from "../core/ownModules.ts";
import { pathFromHere } from "../core/storedPaths.ts";

type Ts = typeof TypeScript;

/** The oldest TypeScript the check runs with (resolveModuleNameLiterals, allowImportingTsExtensions). */
const TYPESCRIPT_MAJOR_MIN = 5;

/** Most diagnostics reported; past it, the count says how many more there were. */
export const DIAGNOSTICS_SHOWN_MAX = 100;

export interface TypeDiagnostic {
  /** The file as a path from the working folder; null for an error of the options. */
  readonly file: string | null;
  /** From 1, as editors count; 0 without a file. */
  readonly line: number;
  readonly column: number;
  /** TypeScript's error number (2322 for TS2322). */
  readonly code: number;
  readonly message: string;
}

export interface TypecheckResult {
  readonly files: readonly string[];
  /** The TypeScript that checked, and where it was found. */
  readonly typescript: { readonly version: string; readonly path: string };
  /** The tsconfig.json whose options were used, or null for the defaults. */
  readonly tsconfig: string | null;
  /** Errors in the user's files (warnings and suggestions are left out). */
  readonly diagnostics: readonly TypeDiagnostic[];
}

/** The options when the scenario's project has no tsconfig.json: strict, an ES module on Node 20. */
function defaultOptions(ts: Ts): TypeScript.CompilerOptions {
  return { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true };
}

/** Finds TypeScript: the scenario's project first, then beside dsim. */
async function loadTypeScript(firstFile: string): Promise<{ ts: Ts; path: string }> {
  let path: string | undefined;
  for (const from of [join(dirname(firstFile), "noop.js"), join(PACKAGE_ROOT, "package.json")]) {
    try {
      path = createRequire(from).resolve("typescript");
      break;
    } catch {
      // Not there: try the next place.
    }
  }
  if (path === undefined) throw new UsageError("dsim typecheck needs TypeScript, which dsim does not install: add it to the scenario's project (npm install --save-dev typescript)");
  const module = (await import(pathToFileURL(path).href)) as { default?: Ts } & Ts;
  const ts = module.default ?? module;
  if (Number(ts.versionMajorMinor.split(".")[0]) < TYPESCRIPT_MAJOR_MIN) throw new UsageError(`dsim typecheck needs TypeScript ${TYPESCRIPT_MAJOR_MIN}.0 or later; found ${ts.version} at ${path}`);
  return { ts, path };
}

/** The compiler options of the nearest tsconfig.json (a broken one is bad input), or the defaults. */
function compilerOptionsFor(ts: Ts, firstFile: string): { options: TypeScript.CompilerOptions; tsconfig: string | null } {
  const tsconfig = ts.findConfigFile(dirname(firstFile), ts.sys.fileExists, "tsconfig.json") ?? null;
  if (tsconfig === null) return { options: defaultOptions(ts), tsconfig };
  const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (read.error !== undefined) throw new UsageError(`${pathFromHere(tsconfig)}: ${ts.flattenDiagnosticMessageText(read.error.messageText, " ")}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfig), undefined, tsconfig);
  const error = parsed.errors.find((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error && diagnostic.code !== NO_INPUTS_FOUND);
  if (error !== undefined) throw new UsageError(`${pathFromHere(tsconfig)}: ${ts.flattenDiagnosticMessageText(error.messageText, " ")}`);
  return { options: parsed.options, tsconfig };
}

/** TS18003, "No inputs were found": the check names its own files, whatever the tsconfig includes. */
const NO_INPUTS_FOUND = 18003;

/** Whether a file is dsim's own or a dependency's: its diagnostics are not the scenario's. */
function isForeign(file: string): boolean {
  const ownFolders = [join(PACKAGE_ROOT, RUNS_COMPILED ? "dist" : "src", sep), join(PACKAGE_ROOT, "scenarios", sep)];
  return file.includes(`${sep}node_modules${sep}`) || ownFolders.some((folder) => resolve(file).startsWith(folder));
}

/** Type-checks the files (and what they import) against this dsim's types. */
export async function typecheckFiles(paths: readonly string[]): Promise<TypecheckResult> {
  if (paths.length === 0) throw new UsageError("name the scenario files to type-check");
  const files = paths.map((path) => resolve(path));
  for (const [index, file] of files.entries()) if (!existsSync(file)) throw new UsageError(`'${paths[index]}' does not exist`);
  const { ts, path } = await loadTypeScript(files[0]!);
  const { options: userOptions, tsconfig } = compilerOptionsFor(ts, files[0]!);
  // dsim's sources import with `.ts` extensions; compiled, its .d.ts files do too.
  const options: TypeScript.CompilerOptions = { ...userOptions, noEmit: true, allowImportingTsExtensions: true };
  const host = ts.createCompilerHost(options);
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (name) => name, options);
  // The types of dsim's entry points: its sources, or compiled, the .d.ts beside each module.
  const own: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(OWN_ENTRY_POINTS).map(([specifier, file]) => [specifier, file.replace(/\.js$/, ".d.ts")]));
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const target = Object.hasOwn(own, literal.text) ? own[literal.text]! : undefined;
      if (target !== undefined) return { resolvedModule: { resolvedFileName: target, extension: target.endsWith(".d.ts") ? ts.Extension.Dts : ts.Extension.Ts, isExternalLibraryImport: false } };
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      return ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, cache, redirected, mode);
    });
  const program = ts.createProgram({ rootNames: files, options, host });
  // Only the user's files are checked (dsim's own are read for their types, not checked again).
  const userFiles = program.getSourceFiles().filter((sourceFile) => !isForeign(sourceFile.fileName));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...userFiles.flatMap((sourceFile) => [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]),
  ]
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic) => describeDiagnostic(ts, diagnostic));
  return { files: files.map(pathFromHere), typescript: { version: ts.version, path: pathFromHere(path) }, tsconfig: tsconfig === null ? null : pathFromHere(tsconfig), diagnostics };
}

function describeDiagnostic(ts: Ts, diagnostic: TypeScript.Diagnostic): TypeDiagnostic {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (diagnostic.file === undefined || diagnostic.start === undefined) return { file: null, line: 0, column: 0, code: diagnostic.code, message };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: pathFromHere(resolve(diagnostic.file.fileName)), line: line + 1, column: character + 1, code: diagnostic.code, message };
}

/** One diagnostic as a line (`file:line:column - error TS2322: message`), its chained lines indented. */
export function diagnosticLine(diagnostic: TypeDiagnostic): string {
  const where = diagnostic.file === null ? "" : `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} - `;
  return `${where}error TS${diagnostic.code}: ${diagnostic.message.split("\n").join("\n    ")}`;
}
