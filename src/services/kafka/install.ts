import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JavaRuntime } from '../../engines/local/java.js';
import { coordinates, type MavenArtifact, resolveMavenJars } from '../maven.js';
import type { ServiceHost } from '../service.js';
import type { KafkaLayout } from './layout.js';

export const KAFKA_VERSION = '4.4.0';
const SLF4J_VERSION = '2.0.17';

/**
 * The broker and Kafka's command-line tools (the producer lhctl feeds), on a classpath of their own:
 * Spark's Kafka connector brings kafka-clients 3.9 and another Scala patch level. Kafka ships no
 * logging backend; slf4j-simple writes to stderr, which is the broker's log file. The Connect runtime
 * the tools' pom pulls in (a web server and plugin scanning) serves no tool lhctl runs.
 */
const KAFKA_ARTIFACTS: readonly MavenArtifact[] = [
  { group: 'org.apache.kafka', artifact: 'kafka_2.13', version: KAFKA_VERSION },
  { group: 'org.apache.kafka', artifact: 'kafka-tools', version: KAFKA_VERSION, exclusions: ['org.apache.kafka:connect-runtime'] },
  { group: 'org.slf4j', artifact: 'slf4j-api', version: SLF4J_VERSION },
  { group: 'org.slf4j', artifact: 'slf4j-simple', version: SLF4J_VERSION },
];

export interface KafkaManifest {
  kafka: string;
  artifacts: string[];
  jars: string[];
  installedAt: string;
}

export function readKafkaManifest(layout: KafkaLayout): KafkaManifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(layout.manifestFile, 'utf8')) as KafkaManifest;
    if (manifest.artifacts?.join(' ') !== coordinates(KAFKA_ARTIFACTS).join(' ')) return undefined;
    if (!manifest.jars.every((jar) => existsSync(join(layout.jarsDir, jar)))) return undefined;
    return manifest;
  } catch {
    return undefined;
  }
}

/** Resolves the pinned Kafka jars into runtime/kafka once; an intact install is kept (and works offline). */
export async function installKafka(host: ServiceHost, layout: KafkaLayout, java: JavaRuntime, onProgress?: (message: string) => void): Promise<KafkaManifest> {
  const existing = readKafkaManifest(layout);
  if (existing) return existing;
  const buildDir = join(layout.runtimeDir, '.build');
  const staging = join(layout.runtimeDir, 'jars.partial');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  onProgress?.(`installing Kafka ${KAFKA_VERSION} from Maven Central (once)`);
  let downloaded = 0;
  await resolveMavenJars({
    artifacts: KAFKA_ARTIFACTS,
    buildDir,
    outputDir: staging,
    java,
    env: host.env,
    label: `Kafka ${KAFKA_VERSION}`,
    retryCommand: 'lhctl services start kafka',
    onJar: () => {
      if (++downloaded % 10 === 0) onProgress?.(`downloaded ${downloaded} jars`);
    },
  });
  // The complete jar set replaces the old one only after resolution succeeded.
  rmSync(layout.jarsDir, { recursive: true, force: true });
  renameSync(staging, layout.jarsDir);
  const manifest: KafkaManifest = {
    kafka: KAFKA_VERSION,
    artifacts: coordinates(KAFKA_ARTIFACTS),
    jars: readdirSync(layout.jarsDir)
      .filter((f) => f.endsWith('.jar'))
      .sort(),
    installedAt: new Date().toISOString(),
  };
  writeFileSync(layout.manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  onProgress?.(`installed Kafka ${KAFKA_VERSION} (${manifest.jars.length} jars)`);
  return manifest;
}
