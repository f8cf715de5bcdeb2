import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { CancelledError, ConfigError, EngineError } from '../../core/errors.js';
import { findJava } from '../../engines/local/java.js';
import type { ServiceHost } from '../service.js';
import { runningBroker } from './broker.js';
import { kafkaLayout } from './layout.js';
import { describeTopic } from './topics.js';

export interface KafkaRecord {
  key: string | null;
  /** One line: any text without a line break (JSON or deliberately malformed), sent byte for byte. */
  value: string;
  headers?: Record<string, string>;
}

export interface ProduceOptions {
  /** Headers added to every record (a record's own headers win), e.g. `{ batch: '12' }`. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ProduceResult {
  topic: string;
  /** Records the broker acknowledged (acks=all, idempotent). */
  records: number;
  bytes: number;
  elapsedMs: number;
  recordsPerSecond: number;
}

/**
 * Kafka's console producer reads one record a line: headers, key and value split by control
 * characters that cannot occur in a JSON line (Java properties escapes), and NUL standing for null.
 */
const HEADER_PAIR = '\u001c';
const HEADER_LIST = '\u001d';
const HEADERS_END = '\u001e';
const KEY_END = '\u001f';
const NULL = '\u0000';
const READER_PROPERTIES = [
  'parse.key=true',
  'parse.headers=true',
  'key.separator=\\u001f',
  'headers.delimiter=\\u001e',
  'headers.separator=\\u001d',
  'headers.key.separator=\\u001c',
  'null.marker=\\u0000',
  'ignore.error=false',
];
// Reliable before fast: every record acknowledged by the in-sync replicas, retried without duplicates.
const PRODUCER_PROPERTIES = ['acks=all', 'enable.idempotence=true', 'max.in.flight.requests.per.connection=5', 'linger.ms=20', 'compression.type=lz4', 'delivery.timeout.ms=120000'];
const SEPARATORS = /[\u0000\u001c-\u001f\r\n]/;
const LINE_BREAK = /[\r\n]/;

/** Why a record cannot go through the line reader, or undefined. */
function refusal(record: KafkaRecord, headers: Record<string, string> | undefined): string | undefined {
  if (typeof record.value !== 'string') return 'its value is not a string';
  if (LINE_BREAK.test(record.value)) return 'its value contains a line break';
  if (record.value === NULL) return 'its value is a lone NUL character';
  if (record.key !== null && SEPARATORS.test(record.key)) return 'its key contains a line break or a control character';
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name === '' || SEPARATORS.test(name) || SEPARATORS.test(value)) return `its header "${name}" is empty or contains a line break or a control character`;
  }
  return undefined;
}

function recordLine(record: KafkaRecord, headers: Record<string, string> | undefined): string {
  const pairs = Object.entries(headers ?? {});
  const head = pairs.length === 0 ? NULL : pairs.map(([name, value]) => `${name}${HEADER_PAIR}${value}`).join(HEADER_LIST);
  return `${head}${HEADERS_END}${record.key ?? NULL}${KEY_END}${record.value}\n`;
}

/**
 * Sends the records to an existing topic of the local broker through Kafka's own producer in a
 * short-lived JVM (acks=all, idempotent), streaming them through its stdin with back-pressure.
 * Resolves once every record is acknowledged; a record the line format cannot carry stops the
 * feed (what came before it is still sent) and is reported.
 */
export async function produceLines(host: ServiceHost, topic: string, records: AsyncIterable<KafkaRecord> | Iterable<KafkaRecord>, options: ProduceOptions = {}): Promise<ProduceResult> {
  const layout = kafkaLayout(host.home);
  await describeTopic(host, topic);
  const broker = await runningBroker(host);
  const bootstrap = `${broker.host}:${broker.port}`;
  const java = findJava(host.javaHome);
  writeFileSync(layout.readerConfig, `${READER_PROPERTIES.join('\n')}\n`);
  writeFileSync(layout.producerConfig, `${PRODUCER_PROPERTIES.join('\n')}\n`);
  const args = [
    '-Xmx256m',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-cp',
    `${layout.jarsDir}/*`,
    'org.apache.kafka.tools.ConsoleProducer',
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--reader-config',
    layout.readerConfig,
    '--command-config',
    layout.producerConfig,
    // The tool's own defaults (3 retries, 1.5 s request timeout) would override the file's.
    '--request-timeout-ms',
    '30000',
    '--message-send-max-retries',
    '2147483647',
    '--batch-size',
    '262144',
    '--max-memory-bytes',
    '67108864',
  ];
  const started = Date.now();
  const child = spawn(java.bin, args, { stdio: ['pipe', 'ignore', 'pipe'], env: host.env });
  const errors: string[] = [];
  let failedSends = 0;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    for (const line of text.split('\n')) {
      if (/Error when sending message/.test(line)) failedSends++;
      if (/ERROR|Exception/.test(line) && errors.length < 20) errors.push(line);
    }
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => reject(new EngineError(`could not run the Kafka producer: ${error.message}`)));
    child.once('close', (code) => resolve(code));
  });
  const abort = (): void => void child.kill('SIGTERM');
  options.signal?.addEventListener('abort', abort, { once: true });

  let sent = 0;
  let bytes = 0;
  let refused: string | undefined;
  let chunk = '';
  const write = async (text: string): Promise<void> => {
    if (!child.stdin.write(text)) await new Promise<void>((resolve) => child.stdin.once('drain', resolve));
  };
  try {
    for await (const record of records) {
      const headers = options.headers || record.headers ? { ...options.headers, ...record.headers } : undefined;
      const why = refusal(record, headers);
      if (why) {
        refused = `record ${sent + 1} cannot be sent: ${why}`;
        break;
      }
      chunk += recordLine(record, headers);
      bytes += Buffer.byteLength(record.value);
      sent++;
      if (chunk.length >= 65_536) {
        await write(chunk);
        chunk = '';
      }
      if (options.signal?.aborted) break;
    }
    if (chunk !== '') await write(chunk);
  } finally {
    child.stdin.end();
  }
  const code = await exited;
  options.signal?.removeEventListener('abort', abort);
  const elapsedMs = Date.now() - started;
  if (options.signal?.aborted) throw new CancelledError(`producing to "${topic}" was cancelled after ${sent} records were handed to the producer`);
  if (code !== 0 || failedSends > 0) {
    throw new EngineError(`producing to Kafka topic "${topic}" failed${failedSends > 0 ? `: ${failedSends} of ${sent} records were not acknowledged` : ` (producer exit ${code})`}`, {
      hint: `Is the broker up? \`lhctl services status\`, \`lhctl services logs kafka\`.${errors.length > 0 ? `\n${errors.slice(-3).join('\n')}` : ''}`,
    });
  }
  if (refused) throw new ConfigError(`${refused}; the ${sent} records before it were sent to "${topic}"`, { hint: 'Values are single lines; keys and headers may not hold control characters.' });
  return { topic, records: sent, bytes, elapsedMs, recordsPerSecond: Math.round(sent / Math.max(0.001, elapsedMs / 1000)) };
}
