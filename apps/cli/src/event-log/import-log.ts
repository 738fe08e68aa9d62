import { Presets, SingleBar } from 'cli-progress';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ServiceRefusal } from '../ledger-client.js';
import { type LogClient } from './log-client.js';

export type LogImportSummary = {
  events: number;
  chunks: number;
  /** Chunks the store already held (a re-run after a crash). */
  alreadyRestoredChunks: number;
  headPosition: number;
  headHash: string | null;
};

/** A chunk the service refused, named by the file's line where it can be. */
export class LogImportFailed extends Error {
  constructor(
    message: string,
    readonly summary: LogImportSummary,
  ) {
    super(message);
    this.name = 'LogImportFailed';
  }
}

type Chunk = { firstLine: number; lines: string[] };

/**
 * Sends an export to the restore route in chunks, in file order, with a progress bar. Each
 * chunk must continue the log at its head; chunks restored before are skipped by the service,
 * so running it again after a crash resumes where the store stopped.
 */
export async function importLog(
  path: string,
  chunkSize: number,
  client: LogClient,
): Promise<LogImportSummary> {
  const total = await countEvents(path);
  const summary: LogImportSummary = {
    events: 0,
    chunks: 0,
    alreadyRestoredChunks: 0,
    headPosition: 0,
    headHash: null,
  };
  const bar = new SingleBar(
    {
      format: 'Restoring [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left',
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  try {
    for await (const chunk of chunksOf(path, chunkSize)) {
      let result;
      try {
        result = await client.restore(chunk.lines.join('\n'));
      } catch (error) {
        if (!(error instanceof ServiceRefusal)) throw error;
        const [row] = error.rows;
        const where = row?.line ? `line ${chunk.firstLine + row.line - 1}: ${row.message}` : '';
        throw new LogImportFailed(
          `The service refused the chunk starting at line ${chunk.firstLine} ` +
            `(${error.status} ${error.error}): ${where || error.message}. ` +
            `${summary.events} event(s) before it are restored; run the import again once ` +
            'fixed: restored chunks are skipped.',
          summary,
        );
      }
      summary.chunks += 1;
      summary.events += chunk.lines.filter((line) => line.trim() !== '').length;
      if (result.alreadyRestored) summary.alreadyRestoredChunks += 1;
      summary.headPosition = result.headPosition;
      summary.headHash = result.headHash;
      bar.increment(chunk.lines.filter((line) => line.trim() !== '').length);
    }
  } finally {
    bar.stop();
  }
  return summary;
}

/** Chunks of `size` events, read line by line: an export of millions never sits in memory. */
async function* chunksOf(path: string, size: number): AsyncIterable<Chunk> {
  let chunk: Chunk = { firstLine: 1, lines: [] };
  let events = 0;
  let line = 0;
  for await (const text of createInterface({
    input: createReadStream(path),
    crlfDelay: Infinity,
  })) {
    line++;
    if (chunk.lines.length === 0) chunk.firstLine = line;
    chunk.lines.push(text);
    if (text.trim() !== '') events++;
    if (events === size) {
      yield chunk;
      chunk = { firstLine: line + 1, lines: [] };
      events = 0;
    }
  }
  if (events > 0) yield chunk;
}

async function countEvents(path: string): Promise<number> {
  let count = 0;
  for await (const text of createInterface({
    input: createReadStream(path),
    crlfDelay: Infinity,
  })) {
    if (text.trim() !== '') count++;
  }
  return count;
}
