import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RuntimeInstallError } from '../core/errors.js';
import type { JavaRuntime } from '../engines/local/java.js';
import { MAVEN_CENTRAL } from '../engines/local/versions.js';

export interface MavenArtifact {
  group: string;
  artifact: string;
  version: string;
  /** group:artifact pairs left out of this artifact's dependencies. */
  exclusions?: readonly string[];
}

export interface MavenResolve {
  artifacts: readonly MavenArtifact[];
  /** Where pom.xml and settings.xml are written and mvn runs. */
  buildDir: string;
  /** Where the jars (with their runtime dependencies) are copied. */
  outputDir: string;
  java: JavaRuntime;
  env: NodeJS.ProcessEnv;
  /** What is being installed, for messages: "Kafka 4.4.0". */
  label: string;
  /** The command that retries, for hints. */
  retryCommand: string;
  /** Called with each jar downloaded (not those already in ~/.m2). */
  onJar?: (jar: string) => void;
}

export function coordinates(artifacts: readonly MavenArtifact[]): string[] {
  return artifacts.map((a) => `${a.group}:${a.artifact}:${a.version}`);
}

function dependencyXml(a: MavenArtifact): string {
  const exclusions = (a.exclusions ?? []).map((e) => {
    const [group, artifact] = e.split(':');
    return `<exclusion><groupId>${group}</groupId><artifactId>${artifact}</artifactId></exclusion>`;
  });
  const excluded = exclusions.length > 0 ? `<exclusions>${exclusions.join('')}</exclusions>` : '';
  return `    <dependency><groupId>${a.group}</groupId><artifactId>${a.artifact}</artifactId><version>${a.version}</version>${excluded}</dependency>`;
}

/**
 * Copies the artifacts and their runtime dependencies from Maven Central into outputDir with
 * `mvn dependency:copy-dependencies`, every repository a pom names mirrored to Central.
 */
export function resolveMavenJars(request: MavenResolve): Promise<void> {
  if (spawnSync('mvn', ['-v'], { encoding: 'utf8' }).status !== 0) {
    throw new RuntimeInstallError(`Maven (mvn) was not found; it resolves the ${request.label} jars from Maven Central`, {
      hint: `Install Maven (e.g. apt-get install maven) and run \`${request.retryCommand}\` again.`,
    });
  }
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lhctl</groupId><artifactId>resolve</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
${request.artifacts.map(dependencyXml).join('\n')}
  </dependencies>
</project>
`;
  writeFileSync(join(request.buildDir, 'pom.xml'), pom);
  writeFileSync(join(request.buildDir, 'settings.xml'), `<settings><mirrors><mirror><id>lhctl-central</id><mirrorOf>*</mirrorOf><url>${MAVEN_CENTRAL}</url></mirror></mirrors></settings>\n`);
  const args = ['-B', '-s', 'settings.xml', 'dependency:copy-dependencies', `-DoutputDirectory=${request.outputDir}`, '-DincludeScope=runtime'];
  // mvn runs on the Java that was checked.
  const env = request.java.bin === 'java' ? request.env : { ...request.env, JAVA_HOME: dirname(dirname(request.java.bin)) };
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { cwd: request.buildDir, env });
    const errors: string[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (/ERROR|BUILD FAILURE/.test(line)) errors.push(line);
        const jar = /Downloaded from \S+ .*\/([^/]+\.jar) \(/.exec(line);
        if (jar?.[1]) request.onJar?.(jar[1]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString('utf8')));
    child.on('error', (error) => reject(new RuntimeInstallError(`could not run mvn: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve();
      reject(
        new RuntimeInstallError(`resolving ${request.label} from Maven Central failed (mvn exit ${code})`, {
          hint: `Check network access to Maven Central and run \`${request.retryCommand}\` again. Last errors:\n${errors.slice(-5).join('\n')}`,
        }),
      );
    });
  });
}
