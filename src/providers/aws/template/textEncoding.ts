/**
 * Bytes on disk → text, refusing anything that is not UTF-8. Node's 'utf8' decoding quietly
 * turns a Latin-1 "é" into U+FFFD, and the template that reaches CloudFormation is then not the
 * one in the editor. A UTF-16 file decodes to NUL-riddled noise whose parse error names no
 * encoding at all. Both get a message that says what the file is and how to fix it.
 */
import * as l10n from '@vscode/l10n';

/** Which file a message is about. */
export type SourceKind = 'template' | 'parametersFile';

export type EncodingProblem =
  | { kind: 'utf16'; endianness: 'little-endian' | 'big-endian' }
  | { kind: 'utf32'; endianness: 'little-endian' | 'big-endian' }
  | { kind: 'invalid-utf8'; line: number; column: number; byte: number }
  | { kind: 'nul'; line: number; column: number };

export type DecodedText = { ok: true; text: string } | { ok: false; problem: EncodingProblem };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeUtf8(bytes: Uint8Array): DecodedText {
  const wide = wideEncoding(bytes);
  if (wide) return { ok: false, problem: wide };
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return { ok: false, problem: { kind: 'invalid-utf8', ...positionOf(bytes, offset), byte: bytes[offset] ?? 0 } };
  }
  // A NUL never belongs in a template or parameters file; it means a binary or mis-saved file.
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, problem: { kind: 'nul', ...positionOf(bytes, nul) } };
  return { ok: true, text };
}

/** One sentence naming the problem and the fix, for "<file>: <sentence>". */
export function describeEncodingProblem(problem: EncodingProblem, what: SourceKind): string {
  const template = what === 'template';
  switch (problem.kind) {
    case 'utf16':
    case 'utf32': {
      const encoding = problem.kind === 'utf16' ? 'UTF-16' : 'UTF-32';
      return template
        ? l10n.t('The template is saved as {0} ({1}); save it as UTF-8.', encoding, problem.endianness)
        : l10n.t('The parameters file is saved as {0} ({1}); save it as UTF-8.', encoding, problem.endianness);
    }
    case 'invalid-utf8':
      return template
        ? l10n.t(
            'The template is not valid UTF-8 at line {0}, column {1} (byte 0x{2}). It was probably saved as Latin-1 or Windows-1252; save it as UTF-8.',
            problem.line,
            problem.column,
            hex(problem.byte),
          )
        : l10n.t(
            'The parameters file is not valid UTF-8 at line {0}, column {1} (byte 0x{2}). It was probably saved as Latin-1 or Windows-1252; save it as UTF-8.',
            problem.line,
            problem.column,
            hex(problem.byte),
          );
    case 'nul':
      return template
        ? l10n.t(
            'The template contains a NUL byte at line {0}, column {1}; it looks like a binary file, not text. Save it as UTF-8 text.',
            problem.line,
            problem.column,
          )
        : l10n.t(
            'The parameters file contains a NUL byte at line {0}, column {1}; it looks like a binary file, not text. Save it as UTF-8 text.',
            problem.line,
            problem.column,
          );
  }
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * UTF-16/32 by byte-order mark, or without one by the NUL pattern ASCII text has in them:
 * every other byte (UTF-16) or three in four (UTF-32) is zero.
 */
function wideEncoding(bytes: Uint8Array): EncodingProblem | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { kind: 'utf32', endianness: 'little-endian' };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { kind: 'utf32', endianness: 'big-endian' };
  if (b0 === 0xff && b1 === 0xfe) return { kind: 'utf16', endianness: 'little-endian' };
  if (b0 === 0xfe && b1 === 0xff) return { kind: 'utf16', endianness: 'big-endian' };
  const sample = bytes.subarray(0, Math.min(bytes.length, 512));
  if (sample.length < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenZeros++;
    else oddZeros++;
  }
  const half = sample.length / 2;
  if (evenZeros === 0 && oddZeros >= half * 0.6) return { kind: 'utf16', endianness: 'little-endian' };
  if (oddZeros === 0 && evenZeros >= half * 0.6) return { kind: 'utf16', endianness: 'big-endian' };
  return undefined;
}

/** Byte offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min = 0x80;
    let max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      // Overlong forms and UTF-16 surrogates are not UTF-8.
      if (lead === 0xe0) min = 0xa0;
      if (lead === 0xed) max = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) min = 0x90;
      if (lead === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      const low = k === 1 ? min : 0x80;
      const high = k === 1 ? max : 0xbf;
      // The lead byte is the one that starts a sequence the file never finishes.
      if (next === undefined || next < low || next > high) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** 1-based line, and column in characters of the valid text before `offset` on that line. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return { line, column: [...before].length + 1 };
}
