#!/usr/bin/env node
// Builds dist/ from apps/ and libs/ for `npm start`, `npm run cli` and the process tests:
//   node scripts/build.mjs           rebuild what changed, or nothing when dist is up to date
//   node scripts/build.mjs --force   check and emit every file
//   node scripts/build.mjs --watch   rebuild on every change (npm run dev)
// It never deletes dist: a server running from it keeps its files. Each file is written to a
// temporary name and renamed over the old one, so a reader sees the old file or the new one,
// never half of one; a build with type errors emits nothing. Builds take turns under a lock,
// so two at once cannot interleave their files.
import {
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROJECTS = ['tsconfig.build.json', 'apps/dashboard/tsconfig.json'].map((p) => join(ROOT, p));
// What the compiler remembers is only good for the dist it built, so it is kept in there:
// deleting dist forgets it, and a clone that shares node_modules shares none of it.
const CACHE = join(ROOT, 'dist/.build');
const LOCK = join(CACHE, 'lock');
/** Written after a successful build, with the time the build started. */
const STAMP = join(CACHE, 'stamp');
const INPUTS = ['apps', 'libs'];
const CONFIG_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;
/** TypeScript's "Found 0 errors. Watching for file changes." */
const WATCH_DONE = 6194;
/** A lock older than this was left by a build that died. */
const STALE_LOCK_MS = 5 * 60_000;

const flags = new Set(process.argv.slice(2));
/** Loaded only when there is something to compile: loading it takes longer than the check. */
let ts;

if (flags.has('--watch')) {
  ts = (await import('typescript')).default;
  watch();
} else {
  const ok = await withLock(async () => {
    const startedAt = new Date();
    if (!flags.has('--force') && isUpToDate()) return true;
    if (flags.has('--force') || modifiedAt(STAMP) === undefined) {
      for (const project of PROJECTS) rmSync(buildInfoFile(project), { force: true });
    }
    ts = (await import('typescript')).default;
    const built = PROJECTS.every(build);
    if (built) touch(STAMP, startedAt);
    return built;
  });
  process.exitCode = ok ? 0 : 1;
}

function build(project) {
  const config = parseConfig(project);
  const host = ts.createIncrementalCompilerHost(config.options);
  const program = ts.createIncrementalProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    configFileParsingDiagnostics: config.errors,
    host,
  });
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getSemanticDiagnostics(),
  ];
  if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) {
    report(diagnostics);
    process.stderr.write(
      `The build of ${relative(ROOT, project)} failed; dist was left as it was.\n`,
    );
    return false;
  }
  program.emit(undefined, writeAtomically);
  return true;
}

function watch() {
  for (const project of PROJECTS) {
    const system = { ...ts.sys, writeFile: writeAtomically };
    const host = ts.createWatchCompilerHost(
      project,
      incrementalOptions(project),
      system,
      ts.createEmitAndSemanticDiagnosticsBuilderProgram,
      (diagnostic) => report([diagnostic]),
      (diagnostic, _newLine, _options, errorCount) => {
        process.stdout.write(`${relative(ROOT, project)}: ${flatten(diagnostic)}\n`);
        // npm run dev restarts the service when the server's code was rebuilt without errors.
        if (diagnostic.code === WATCH_DONE && errorCount === 0) process.send?.({ built: project });
      },
    );
    ts.createWatchProgram(host);
  }
}

function parseConfig(project) {
  const config = ts.getParsedCommandLineOfConfigFile(project, incrementalOptions(project), {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      report([diagnostic]);
      process.exit(1);
    },
  });
  return config;
}

/** Each project keeps what it knows between builds, so a rebuild compiles only what changed. */
function incrementalOptions(project) {
  return { incremental: true, tsBuildInfoFile: buildInfoFile(project) };
}

function buildInfoFile(project) {
  return join(CACHE, `${relative(ROOT, project).replaceAll('/', '_')}.tsbuildinfo`);
}

function writeAtomically(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function isUpToDate() {
  const built = modifiedAt(STAMP);
  if (built === undefined) return false;
  const inputs = [...INPUTS.flatMap(sourceFiles), ...CONFIG_FILES.map((f) => join(ROOT, f))];
  return inputs.every((file) => (modifiedAt(file) ?? Infinity) <= built);
}

function sourceFiles(dir) {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter(
      (entry) => entry.isFile() && /\.(ts|json)$/.test(entry.name) && !TEST_FILE.test(entry.name),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

function modifiedAt(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function touch(path, time) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${time.toISOString()}\n`);
  utimesSync(path, time, time);
}

function report(diagnostics) {
  process.stderr.write(
    ts.formatDiagnosticsWithColorAndContext(diagnostics, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => '\n',
    }),
  );
}

function flatten(diagnostic) {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
}

async function withLock(work) {
  await mkdir(CACHE, { recursive: true });
  while (!(await tryLock())) await new Promise((done) => setTimeout(done, 200));
  const release = () => rmSync(LOCK, { recursive: true, force: true });
  process.once('exit', release);
  try {
    return await work();
  } finally {
    process.off('exit', release);
    release();
  }
}

/** Takes the lock, or clears one whose build has died (its process is gone, or it is stale). */
async function tryLock() {
  try {
    await mkdir(LOCK);
    writeFileSync(join(LOCK, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
  const since = await stat(LOCK).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
  const holder = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => 'NaN'));
  const dead = Number.isInteger(holder) && !isAlive(holder);
  if (dead || (since !== undefined && Date.now() - since > STALE_LOCK_MS)) {
    await rm(LOCK, { recursive: true, force: true });
  }
  return false;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}
