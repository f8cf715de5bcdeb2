import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RuntimeInstallError } from '../../core/errors.js';
import { findJava, type JavaRuntime } from './java.js';
import { localLayout, type LocalLayout } from './layout.js';
import { DELTA_VERSION, MAVEN_CENTRAL, RUNTIME_ARTIFACTS, RUNTIME_COORDINATES, SPARK_VERSION } from './versions.js';
import { readZipEntries } from './zipEntries.js';
import { cacheProtocol } from '../sparkConnect/protocol.js';

export interface RuntimeManifest {
  spark: string;
  delta: string;
  /** group:artifact:version of each pinned artifact the jars were resolved from. */
  artifacts: string[];
  jars: string[];
  installedAt: string;
}

export interface InstallProgress {
  phase: 'resolve' | 'protos' | 'done';
  done: number;
  total: number;
  detail: string;
}

/** Jars the pinned artifacts resolve to; used as the progress bar's total. */
const EXPECTED_JAR_COUNT = 227;

export function readManifest(layout: LocalLayout): RuntimeManifest | undefined {
  if (!existsSync(layout.manifestFile)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(layout.manifestFile, 'utf8')) as RuntimeManifest;
    if (manifest.spark !== SPARK_VERSION || manifest.delta !== DELTA_VERSION) return undefined;
    if (manifest.artifacts?.join(' ') !== RUNTIME_COORDINATES.join(' ')) return undefined;
    if (!manifest.jars.every((jar) => existsSync(join(layout.jarsDir, jar)))) return undefined;
    if (!existsSync(join(layout.protoDir, 'spark', 'connect', 'base.proto'))) return undefined;
    return manifest;
  } catch {
    return undefined;
  }
}

function pomXml(): string {
  const dependencies = RUNTIME_ARTIFACTS.map((a) => `    <dependency><groupId>${a.group}</groupId><artifactId>${a.artifact}</artifactId><version>${a.version}</version></dependency>`).join('\n');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lhctl</groupId><artifactId>local-runtime</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}

// Spark's poms list extra repositories; mirroring all of them to Maven Central keeps resolution on the registry.
const SETTINGS_XML = `<settings><mirrors><mirror><id>lhctl-central</id><mirrorOf>*</mirrorOf><url>${MAVEN_CENTRAL}</url></mirror></mirrors></settings>\n`;

function resolveJars(buildDir: string, outputDir: string, java: JavaRuntime, env: NodeJS.ProcessEnv, onProgress: (p: InstallProgress) => void): Promise<void> {
  if (spawnSync('mvn', ['-v'], { encoding: 'utf8' }).status !== 0) {
    throw new RuntimeInstallError('Maven (mvn) was not found; it resolves the Spark and Delta jars from Maven Central', {
      hint: 'Install Maven (e.g. apt-get install maven) and run `lhctl engine install` again.',
    });
  }
  writeFileSync(join(buildDir, 'pom.xml'), pomXml());
  writeFileSync(join(buildDir, 'settings.xml'), SETTINGS_XML);
  const args = ['-B', '-s', 'settings.xml', 'dependency:copy-dependencies', `-DoutputDirectory=${outputDir}`, '-DincludeScope=runtime'];
  // mvn must run on the same Java that was checked.
  const mvnEnv = java.bin === 'java' ? env : { ...env, JAVA_HOME: dirname(dirname(java.bin)) };
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { cwd: buildDir, env: mvnEnv });
    let downloaded = 0;
    const tail: string[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        const jar = /Downloaded from \S+ .*\/([^/]+\.jar) \(([^)]*)\)/.exec(line);
        if (jar) onProgress({ phase: 'resolve', done: Math.min(++downloaded, EXPECTED_JAR_COUNT), total: EXPECTED_JAR_COUNT, detail: `${jar[1]} (${jar[2]?.split(' at ')[0]})` });
        const copy = /Copying (\S+\.jar) to/.exec(line);
        if (copy && downloaded === 0) onProgress({ phase: 'resolve', done: 0, total: EXPECTED_JAR_COUNT, detail: 'copying cached jars' });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk.toString('utf8')));
    child.on('error', (error) => reject(new RuntimeInstallError(`could not run mvn: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new RuntimeInstallError(`resolving Spark ${SPARK_VERSION} + Delta ${DELTA_VERSION} from Maven Central failed (mvn exit ${code})`, {
            hint: `Check network access to Maven Central and run \`lhctl engine install\` again. Last output:\n${tail
              .filter((l) => /ERROR|BUILD/.test(l))
              .slice(-5)
              .join('\n')}`,
          }),
        );
    });
  });
}

/** Pulls the Spark Connect .proto files (and google/rpc status types) out of the installed connect jar. */
export function extractProtos(jarsDir: string, protoDir: string): number {
  const connectJar = readdirSync(jarsDir).find((f) => f.startsWith('spark-connect_'));
  if (!connectJar) throw new RuntimeInstallError(`no spark-connect jar in ${jarsDir}`, { hint: 'Run `lhctl engine install --force`.' });
  const entries = readZipEntries(join(jarsDir, connectJar), (name) => /^(spark\/connect\/[^/]+|google\/rpc\/(status|error_details)|google\/protobuf\/[^/]+)\.proto$/.test(name));
  for (const [name, content] of entries) {
    const target = join(protoDir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return entries.size;
}

/**
 * The Spark Connect protocol alone, for an env on a cluster: lhctl reads the .proto files from the spark-connect
 * jar (never vendored), so when the local runtime is not installed it fetches that one jar from Maven Central,
 * checks it against Maven's SHA-1, and keeps only the protocol files, once.
 */
export async function ensureProtocol(home: string, onProgress?: (message: string) => void): Promise<string> {
  const layout = localLayout(home);
  if (existsSync(join(layout.protoDir, 'spark', 'connect', 'base.proto'))) return layout.protoDir;
  const artifact = RUNTIME_ARTIFACTS.find((a) => a.artifact.startsWith('spark-connect_'))!;
  const file = `${artifact.artifact}-${artifact.version}.jar`;
  const url = `${MAVEN_CENTRAL}/${artifact.group.replace(/\./g, '/')}/${artifact.artifact}/${artifact.version}/${file}`;
  onProgress?.(`fetching the Spark Connect protocol (once; ${file} from Maven Central)`);
  const download = async (target: string): Promise<Buffer> => {
    const response = await fetch(target).catch((error: unknown) => {
      throw new RuntimeInstallError(`could not fetch ${target}: ${(error as Error).message}`, { hint: 'Check network access to Maven Central, or run `lhctl engine install` where it is reachable.' });
    });
    if (!response.ok) throw new RuntimeInstallError(`fetching ${target} failed: HTTP ${response.status}`, { hint: 'Check network access to Maven Central.' });
    return Buffer.from(await response.arrayBuffer());
  };
  const [jar, sha1] = await Promise.all([download(url), download(`${url}.sha1`)]);
  if (createHash('sha1').update(jar).digest('hex') !== sha1.toString('utf8').trim().split(/\s+/)[0]) {
    throw new RuntimeInstallError(`${file} from Maven Central does not match its SHA-1`, { hint: 'Try again; the download was damaged.' });
  }
  const staging = join(layout.runtimeDir, '.protocol');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'jar'), { recursive: true });
  writeFileSync(join(staging, 'jar', file), jar);
  extractProtos(join(staging, 'jar'), join(staging, 'proto'));
  cacheProtocol(join(staging, 'proto'));
  rmSync(layout.protoDir, { recursive: true, force: true });
  renameSync(join(staging, 'proto'), layout.protoDir);
  rmSync(staging, { recursive: true, force: true });
  return layout.protoDir;
}

/** Per-install secret the server requires on every call; readable by the owner only. */
export function ensureToken(layout: LocalLayout): string {
  if (existsSync(layout.tokenFile)) return readFileSync(layout.tokenFile, 'utf8').trim();
  mkdirSync(dirname(layout.tokenFile), { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(layout.tokenFile, token + '\n', { mode: 0o600 });
  return token;
}

/**
 * Installs the pinned Spark + Delta runtime under $LHCTL_HOME/runtime. Idempotent: an intact
 * install is kept as is (and so works offline); `force` resolves it again.
 */
export interface RuntimeHost {
  home: string;
  javaHome: string | undefined;
  env: NodeJS.ProcessEnv;
}

export async function installRuntime(host: RuntimeHost, onProgress: (p: InstallProgress) => void, force = false): Promise<{ manifest: RuntimeManifest; alreadyInstalled: boolean }> {
  const layout = localLayout(host.home);
  const java = findJava(host.javaHome);
  const existing = force ? undefined : readManifest(layout);
  if (existing) return { manifest: existing, alreadyInstalled: true };

  const buildDir = join(layout.runtimeDir, '.build');
  const stagingJars = join(layout.runtimeDir, 'jars.partial');
  rmSync(stagingJars, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  onProgress({ phase: 'resolve', done: 0, total: EXPECTED_JAR_COUNT, detail: `Spark ${SPARK_VERSION} + Delta ${DELTA_VERSION}` });
  await resolveJars(buildDir, stagingJars, java, host.env, onProgress);
  // Swap in the complete jar set only once resolution succeeded, so a killed install never half-exists.
  rmSync(layout.jarsDir, { recursive: true, force: true });
  renameSync(stagingJars, layout.jarsDir);

  rmSync(layout.protoDir, { recursive: true, force: true });
  const protoCount = extractProtos(layout.jarsDir, layout.protoDir);
  cacheProtocol(layout.protoDir);
  onProgress({ phase: 'protos', done: protoCount, total: protoCount, detail: 'Spark Connect protocol' });
  ensureToken(layout);

  const manifest: RuntimeManifest = {
    spark: SPARK_VERSION,
    delta: DELTA_VERSION,
    artifacts: [...RUNTIME_COORDINATES],
    jars: readdirSync(layout.jarsDir)
      .filter((f) => f.endsWith('.jar'))
      .sort(),
    installedAt: new Date().toISOString(),
  };
  writeFileSync(layout.manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  onProgress({ phase: 'done', done: manifest.jars.length, total: manifest.jars.length, detail: `${manifest.jars.length} jars` });
  return { manifest, alreadyInstalled: false };
}
