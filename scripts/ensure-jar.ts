// Makes sure the openapi-generator JAR pinned in openapitools.json sits at <storageDir>/<version>.jar,
// where @openapitools/openapi-generator-cli looks before downloading anything. Maven fetches it from
// Maven Central (the only artifact host some CI machines reach); elsewhere the wrapper can download
// it itself. Exits non-zero with the reason when Java is missing or too old.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, rel } from './lib/project.js';

export interface GeneratorJar {
  version: string;
  jar: string;
}

export function generatorConfig(): GeneratorJar {
  const config = JSON.parse(readFileSync(path.join(ROOT, 'openapitools.json'), 'utf8'));
  const version: string = config['generator-cli'].version;
  const storageDir: string = config['generator-cli'].storageDir;
  return { version, jar: path.resolve(ROOT, storageDir, `${version}.jar`) };
}

export function javaMajor(): number {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java not found. openapi-generator is a Java program and needs Java 11 or newer on PATH ' +
        'to validate the fragment and write generated/docs (e.g. apt-get install -y openjdk-17-jre-headless).',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr + probe.stdout);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < 11) {
    throw new Error(`Java ${major || '(unknown version)'} found; openapi-generator needs Java 11 or newer.`);
  }
  return major;
}

export function ensureJar(): GeneratorJar {
  javaMajor();
  const cfg = generatorConfig();
  if (existsSync(cfg.jar)) return cfg;
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    console.warn(`mvn not found: the openapi-generator-cli wrapper will download ${cfg.version} itself.`);
    return cfg;
  }
  const out = mkdtempSync(path.join(tmpdir(), 'ogen-jar-'));
  try {
    console.log(`Fetching openapi-generator-cli ${cfg.version} with Maven → ${rel(cfg.jar)}`);
    execFileSync(
      'mvn',
      [
        '-q',
        'dependency:copy',
        `-Dartifact=org.openapitools:openapi-generator-cli:${cfg.version}`,
        `-DoutputDirectory=${out}`,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    mkdirSync(path.dirname(cfg.jar), { recursive: true });
    copyFileSync(path.join(out, `openapi-generator-cli-${cfg.version}.jar`), cfg.jar);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return cfg;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { jar } = ensureJar();
    console.log(`openapi-generator JAR ready: ${rel(jar)}`);
  } catch (err) {
    console.error(`ensure-jar: ${(err as Error).message}`);
    process.exit(1);
  }
}
