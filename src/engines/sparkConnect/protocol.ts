import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

/**
 * The Spark Connect protocol, read from the .proto files the runtime install extracted from the
 * Spark Connect jar (never vendored here). The parsed form is cached beside them as JSON, and
 * encoders are generated only for the messages actually sent or received: a one-shot command
 * then starts in a fraction of the time a full proto-loader pass takes.
 */
const SERVICE = 'spark.connect.SparkConnectService';
const CACHE_FILE = 'spark-connect.json';

const CONVERSION: protobuf.IConversionOptions = { longs: String, enums: String, oneofs: true, defaults: false };

function parseProtos(protoDir: string): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protoDir, target);
  root.loadSync(['spark/connect/base.proto', 'google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
  return root;
}

/** Parses the installed .proto files and writes the JSON cache; run at install time. */
export function cacheProtocol(protoDir: string): void {
  roots.delete(protoDir);
  writeFileSync(join(protoDir, CACHE_FILE), JSON.stringify(parseProtos(protoDir).toJSON()));
}

const roots = new Map<string, protobuf.Root>();

export function protocolRoot(protoDir: string): protobuf.Root {
  let root = roots.get(protoDir);
  if (!root) {
    const cache = join(protoDir, CACHE_FILE);
    if (existsSync(cache)) {
      root = protobuf.Root.fromJSON(JSON.parse(readFileSync(cache, 'utf8')) as protobuf.INamespace);
    } else {
      // An install from before the cache existed: parse once and leave the cache for next time.
      root = parseProtos(protoDir);
      writeFileSync(cache, JSON.stringify(root.toJSON()));
    }
    roots.set(protoDir, root);
  }
  return root;
}

export type SparkConnectStub = grpc.Client & Record<string, (...args: unknown[]) => unknown>;
type StubConstructor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => SparkConnectStub;

const stubs = new Map<string, StubConstructor>();

/** A gRPC client class for SparkConnectService; messages are plain objects with snake_case keys. */
export function sparkConnectStub(protoDir: string): StubConstructor {
  const cached = stubs.get(protoDir);
  if (cached) return cached;
  const service = protocolRoot(protoDir).lookupService(SERVICE);
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const method of Object.values(service.methods)) {
    method.resolve();
    const request = method.resolvedRequestType!;
    const response = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/${SERVICE}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: (message: object) => Buffer.from(request.encode(request.fromObject(message)).finish()),
      requestDeserialize: (bytes: Buffer): object => request.toObject(request.decode(bytes), CONVERSION),
      responseSerialize: (message: object) => Buffer.from(response.encode(response.fromObject(message)).finish()),
      responseDeserialize: (bytes: Buffer): object => response.toObject(response.decode(bytes), CONVERSION),
    };
  }
  const stub = grpc.makeGenericClientConstructor(definition, 'SparkConnectService') as unknown as StubConstructor;
  stubs.set(protoDir, stub);
  return stub;
}
