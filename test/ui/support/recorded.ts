import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandData } from '../../../src/commands/command.js';
import type { Value } from '../../../src/core/types.js';
import { REPO_ROOT } from '../../support/paths.js';

/** A command's output kept on disk: the command line and its data, streams read to the end. */
export interface RecordedOutput {
  command: string;
  data: CommandData;
}

type Tagged = null | boolean | number | string | Tagged[] | { [k: string]: Tagged };

export function encodeValue(value: Value): Tagged {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Map) return { $map: [...value.entries()].map(([k, v]) => [encodeValue(k), encodeValue(v)]) };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
  return value;
}

export function decodeValue(value: Tagged): Value {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value !== null && typeof value === 'object') {
    if (typeof value['$bigint'] === 'string') return BigInt(value['$bigint']);
    if (Array.isArray(value['$map'])) return new Map((value['$map'] as [Tagged, Tagged][]).map(([k, v]) => [decodeValue(k), decodeValue(v)]));
    if (typeof value['$bytes'] === 'string') return new Uint8Array(Buffer.from(value['$bytes'], 'base64'));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeValue(v)]));
  }
  return value;
}

/** Reads a command's data to the end, with values tagged for JSON. */
export async function encodeData(data: CommandData): Promise<Tagged> {
  switch (data.kind) {
    case 'table': {
      const rows: Tagged[] = [];
      if (Array.isArray(data.rows)) rows.push(...data.rows.map((r) => r.map(encodeValue)));
      else for await (const batch of data.rows) rows.push(...batch.map((r) => r.map(encodeValue)));
      return { kind: 'table', title: data.title ?? null, columns: data.columns as unknown as Tagged, rows };
    }
    case 'record':
      return { kind: 'record', title: data.title ?? null, data: Object.fromEntries(Object.entries(data.data).map(([k, v]) => [k, encodeValue(v)])) };
    case 'message':
      return { kind: 'message', text: data.text };
    case 'multi': {
      const results: Tagged[] = [];
      for await (const part of data.results) results.push(await encodeData(part));
      return { kind: 'multi', results };
    }
  }
}

function decodeData(json: Record<string, Tagged>): CommandData {
  const title = typeof json['title'] === 'string' ? { title: json['title'] } : {};
  switch (json['kind']) {
    case 'table':
      return { kind: 'table', ...title, columns: json['columns'] as never, rows: (json['rows'] as Tagged[][]).map((r) => r.map(decodeValue)) };
    case 'record':
      return { kind: 'record', ...title, data: Object.fromEntries(Object.entries(json['data'] as Record<string, Tagged>).map(([k, v]) => [k, decodeValue(v)])) };
    case 'message':
      return { kind: 'message', text: String(json['text']) };
    default:
      return { kind: 'multi', results: (json['results'] as Record<string, Tagged>[]).map(decodeData) };
  }
}

/** A recorded output from test/ui/fixtures (written by test/ui/support/recordFixtures.ts). */
export function recordedOutput(name: string): RecordedOutput {
  const json = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'ui', 'fixtures', `${name}.json`), 'utf8')) as { command: string; data: Record<string, Tagged> };
  return { command: json.command, data: decodeData(json.data) };
}
