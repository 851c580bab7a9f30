/**
 * The state of the house, in numbers: the largest source files and how many are over the
 * 400-line limit, and the repeated code that the `duplicates` tool finds inside the deployment
 * machine's modules (src/deployment/machine*.ts and src/deployment/machine/**).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SOURCE_ROOTS = ['src', 'webview-ui/src'];
const SOURCE_FILE = /\.(ts|css)$/;
const MAX_LINES = 400;
const LARGEST = 10;
/** Paths as `duplicates --repo src` prints them: relative to src/. */
const MACHINE_MODULE = /^deployment\/(machine[^/]*\.ts|machine\/.+)$/;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE_FILE.test(entry.name) ? [path] : [];
  });
}

function lineCount(file: string): number {
  const text = readFileSync(file, 'utf8');
  return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

export function benchFileSizes(): void {
  const files = SOURCE_ROOTS.flatMap(sourceFiles)
    .map((file) => ({ file: relative('.', file), lines: lineCount(file) }))
    .sort((a, b) => b.lines - a.lines);
  const over = files.filter((f) => f.lines > MAX_LINES);
  console.log(`\nlargest source files (${SOURCE_ROOTS.join(', ')}; ${files.length} files):`);
  for (const { file, lines } of files.slice(0, LARGEST)) console.log(`  ${String(lines).padStart(5)}  ${file}${lines > MAX_LINES ? '  (over)' : ''}`);
  console.log(`files over ${MAX_LINES} lines: ${over.length}${over.length ? ` (${over.map((f) => f.file).join(', ')})` : ''}`);
}

/** A row of `duplicates`: `D1 a.ts:10-24 ~ b.ts:40-54 …`. */
const PAIR = /^D\d+\s+(\S+?):(\d+-\d+)\s+~\s+(\S+?):(\d+-\d+)(.*)$/;

export function benchDuplicates(): void {
  let out: string;
  try {
    out = execFileSync('duplicates', ['--repo', 'src', '--most', '200', '--seconds', '60'], { encoding: 'utf8' });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    console.log(`\nduplicates: ${missing ? 'the `duplicates` command is not on PATH here; skipped' : `could not run (${String(error)}); skipped`}`);
    return;
  }
  const lines = out.trim().split('\n');
  const pairs = lines.map((line) => PAIR.exec(line)).filter((m): m is RegExpExecArray => m !== null);
  const inMachine = pairs.filter((m) => MACHINE_MODULE.test(m[1] ?? '') && MACHINE_MODULE.test(m[3] ?? ''));
  console.log(`\nduplicates over src/: ${lines[0] ?? ''}`);
  console.log(`pairs with both sides in the machine's modules: ${inMachine.length}`);
  for (const m of inMachine) console.log(`  ${m[0]}`);
  for (const line of lines.filter((l) => /^(left out|incomplete):/.test(l))) console.log(`  ${line}`);
}
