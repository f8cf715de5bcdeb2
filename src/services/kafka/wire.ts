import { connect } from 'node:net';

/**
 * The few Kafka protocol requests lhctl sends itself, with no JVM: ApiVersions (is the broker up),
 * Metadata (topics and partitions), ListOffsets (earliest/latest) and CreateTopics. Each uses a
 * non-flexible version the 4.x broker still serves; producing goes through Kafka's own producer.
 */
export interface BrokerAddress {
  host: string;
  port: number;
}

const API = { listOffsets: 2, metadata: 3, apiVersions: 18, createTopics: 19 } as const;
const CLIENT_ID = 'lhctl';

/** Kafka's error codes that lhctl treats specially. */
export const KAFKA_ERRORS = { none: 0, unknownTopic: 3, leaderNotAvailable: 5, notLeader: 6, topicExists: 36 } as const;

/** A request the broker answered with a Kafka error code. */
export class KafkaProtocolError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }

  /** A topic just created is briefly without a leader on its broker. */
  get retriable(): boolean {
    return this.code === KAFKA_ERRORS.leaderNotAvailable || this.code === KAFKA_ERRORS.notLeader;
  }
}

class Writer {
  private readonly parts: Buffer[] = [];
  int8(v: number): this {
    return this.push(1, (b) => b.writeInt8(v));
  }
  int16(v: number): this {
    return this.push(2, (b) => b.writeInt16BE(v));
  }
  int32(v: number): this {
    return this.push(4, (b) => b.writeInt32BE(v));
  }
  int64(v: bigint): this {
    return this.push(8, (b) => b.writeBigInt64BE(v));
  }
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const bytes = Buffer.from(v, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }
  array<T>(items: readonly T[] | null, each: (item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) each(item);
    return this;
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
  private push(size: number, write: (b: Buffer) => void): this {
    const b = Buffer.alloc(size);
    write(b);
    this.parts.push(b);
    return this;
  }
}

class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}
  int8(): number {
    return this.advance(1, this.buffer.readInt8(this.offset));
  }
  int16(): number {
    return this.advance(2, this.buffer.readInt16BE(this.offset));
  }
  int32(): number {
    return this.advance(4, this.buffer.readInt32BE(this.offset));
  }
  int64(): number {
    return Number(this.advance(8, this.buffer.readBigInt64BE(this.offset)));
  }
  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    return this.advance(length, this.buffer.toString('utf8', this.offset, this.offset + length));
  }
  array<T>(each: () => T): T[] {
    const length = this.int32();
    return Array.from({ length: Math.max(0, length) }, each);
  }
  private advance<T>(size: number, value: T): T {
    this.offset += size;
    return value;
  }
}

/** One request on its own connection; resolves with the response body after the correlation id. */
function send(address: BrokerAddress, apiKey: number, apiVersion: number, body: Buffer, timeoutMs: number): Promise<Reader> {
  const header = new Writer().int16(apiKey).int16(apiVersion).int32(1).string(CLIENT_ID).build();
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port });
    let received = Buffer.alloc(0);
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no answer from ${address.host}:${address.port} within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(Buffer.concat([size, header, body])));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.destroy();
      resolve(new Reader(received.subarray(8, 4 + received.readInt32BE(0))));
    });
    socket.once('end', () => fail(new Error(`${address.host}:${address.port} closed the connection`)));
  });
}

/** ApiVersions v0: the API keys the broker serves with their version range. */
export async function apiVersions(address: BrokerAddress, timeoutMs = 2000): Promise<Map<number, [number, number]>> {
  const r = await send(address, API.apiVersions, 0, Buffer.alloc(0), timeoutMs);
  const errorCode = r.int16();
  if (errorCode !== KAFKA_ERRORS.none) throw new Error(`ApiVersions failed with Kafka error ${errorCode}`);
  return new Map(r.array(() => [r.int16(), [r.int16(), r.int16()] as [number, number]]));
}

export interface PartitionMetadata {
  errorCode: number;
  partition: number;
  leader: number;
}

export interface TopicMetadata {
  errorCode: number;
  name: string;
  internal: boolean;
  partitions: PartitionMetadata[];
}

export interface ClusterMetadata {
  brokers: { nodeId: number; host: string; port: number }[];
  clusterId: string | null;
  topics: TopicMetadata[];
}

/** Metadata v4 of the named topics (all when null), never creating one. */
export async function metadata(address: BrokerAddress, topics: string[] | null, timeoutMs = 5000): Promise<ClusterMetadata> {
  const w = new Writer();
  const body = w
    .array(topics, (name) => w.string(name))
    .int8(0)
    .build();
  const r = await send(address, API.metadata, 4, body, timeoutMs);
  r.int32(); // throttle time
  const brokers = r.array(() => {
    const broker = { nodeId: r.int32(), host: r.string() ?? '', port: r.int32() };
    r.string(); // rack
    return broker;
  });
  const clusterId = r.string();
  r.int32(); // controller id
  const topicList = r.array(() => ({
    errorCode: r.int16(),
    name: r.string() ?? '',
    internal: r.int8() === 1,
    partitions: r.array(() => {
      const partition = { errorCode: r.int16(), partition: r.int32(), leader: r.int32() };
      r.array(() => r.int32()); // replicas
      r.array(() => r.int32()); // in-sync replicas
      return partition;
    }),
  }));
  return { brokers, clusterId, topics: topicList };
}

/** Kafka's special timestamps for ListOffsets. */
export const EARLIEST = -2n;
export const LATEST = -1n;

/** ListOffsets v2 (read uncommitted): one offset per partition at `timestamp`. */
export async function listOffsets(address: BrokerAddress, topic: string, partitions: number[], timestamp: bigint, timeoutMs = 5000): Promise<Map<number, number>> {
  const w = new Writer();
  const body = w
    .int32(-1)
    .int8(0)
    .array([topic], (name) => {
      w.string(name);
      w.array(partitions, (p) => w.int32(p).int64(timestamp));
    })
    .build();
  const r = await send(address, API.listOffsets, 2, body, timeoutMs);
  r.int32(); // throttle time
  const offsets = new Map<number, number>();
  r.array(() => {
    r.string();
    r.array(() => {
      const partition = r.int32();
      const errorCode = r.int16();
      r.int64(); // timestamp
      const offset = r.int64();
      if (errorCode !== KAFKA_ERRORS.none) throw new KafkaProtocolError(`ListOffsets of ${topic}-${partition} failed with Kafka error ${errorCode}`, errorCode);
      offsets.set(partition, offset);
    });
  });
  return offsets;
}

/** CreateTopics v4 of one topic with replication factor 1; returns Kafka's error code and message. */
export async function createTopic(address: BrokerAddress, name: string, partitions: number, timeoutMs = 30_000): Promise<{ errorCode: number; message: string | null }> {
  const w = new Writer();
  w.array([name], (topic) => {
    w.string(topic).int32(partitions).int16(1);
    w.array([], () => {});
    w.array([], () => {});
  });
  const body = w.int32(timeoutMs).int8(0).build();
  const r = await send(address, API.createTopics, 4, body, timeoutMs + 5000);
  r.int32(); // throttle time
  const [result] = r.array(() => ({ name: r.string(), errorCode: r.int16(), message: r.string() }));
  return { errorCode: result?.errorCode ?? -1, message: result?.message ?? null };
}
