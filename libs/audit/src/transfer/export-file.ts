import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

/** Files named `*.gz` are written gzip-compressed. */
export const isGzipName = (file: string): boolean => file.endsWith('.gz');

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Writes the chunks to `file` (gzip when it ends in `.gz`) through `<file>.partial`, renamed only
 * once everything is written: an interrupted export never leaves a file that looks complete.
 */
export async function writeFileAtomically(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const partial = `${file}.partial`;
  const source = Readable.from(chunks);
  if (isGzipName(file)) await pipeline(source, createGzip({ level: 6 }), createWriteStream(partial));
  else await pipeline(source, createWriteStream(partial));
  await rename(partial, file);
}

/** The lines of a file, gzip-compressed or not (told by its first bytes). */
export async function* readLines(file: string): AsyncGenerator<string> {
  const raw = createReadStream(file);
  const input = (await startsWithGzipMagic(file)) ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (error) => input.destroy(error));
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line !== '') yield line;
  } finally {
    lines.close();
    raw.destroy();
  }
}

/** The last non-empty line of a file (read from its end when plain, by decompressing when gzip). */
export async function lastLine(file: string): Promise<string | undefined> {
  if (await startsWithGzipMagic(file)) {
    let last: string | undefined;
    for await (const line of readLines(file)) last = line;
    return last;
  }
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    return buffer.toString('utf8').split('\n').filter((line) => line !== '').pop();
  } finally {
    await handle.close();
  }
}
