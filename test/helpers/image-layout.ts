import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** The final stage of the Dockerfile, as the test needs it: what is copied where, the environment, the commands. */
export type ImageRecipe = {
  env: Record<string, string>;
  /** COPY lines of the final stage: from the build stage (`--from=build`) or from the build context. */
  copies: Array<{ fromBuild: boolean; sources: string[]; dest: string }>;
  workdir: string;
  cmd: string[];
  healthcheck: string[];
  /** The HEALTHCHECK's own flags (`interval`, `timeout`, `start-period`, `retries`), as written. */
  healthcheckFlags: Record<string, string>;
  /** The flags of the build stage's `npm prune`. */
  pruneOmits: string[];
};

export function readDockerfile(file: string): ImageRecipe {
  // Continuation lines joined, comments dropped.
  const lines = readFileSync(file, 'utf8')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = lines.reduce<string[][]>(
    (all, line) => (line.startsWith('FROM ') ? [...all, [line]] : (all.at(-1)!.push(line), all)),
    [],
  );
  const final = stages.at(-1)!;
  const build = stages.slice(0, -1).flat();
  const recipe: ImageRecipe = {
    env: {},
    copies: [],
    workdir: '/',
    cmd: [],
    healthcheck: [],
    healthcheckFlags: {},
    pruneOmits: [],
  };
  for (const line of final) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (instruction === 'ENV')
      for (const pair of args.split(/\s+/)) recipe.env[pair.split('=')[0]!] = pair.slice(pair.indexOf('=') + 1);
    if (instruction === 'WORKDIR') recipe.workdir = args;
    if (instruction === 'CMD') recipe.cmd = JSON.parse(args) as string[];
    if (instruction === 'HEALTHCHECK') {
      recipe.healthcheck = ['node', '-e', /CMD node -e "(.*)"$/.exec(args)![1]!];
      for (const [, flag, value] of args.matchAll(/--([\w-]+)=(\S+)/g)) recipe.healthcheckFlags[flag!] = value!;
    }
    if (instruction === 'COPY') {
      const parts = rest.filter((p) => !p.startsWith('--') || p === '--from=build');
      const fromBuild = parts[0] === '--from=build';
      const paths = fromBuild ? parts.slice(1) : parts;
      recipe.copies.push({ fromBuild, sources: paths.slice(0, -1), dest: paths.at(-1)! });
    }
  }
  const prune = build.find((l) => l.includes('npm prune'));
  recipe.pruneOmits = prune ? [...prune.matchAll(/--omit=(\w+)/g)].map((m) => m[1]!) : [];
  return recipe;
}

type LockPackage = {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

/**
 * The packages `npm prune --omit=dev --omit=optional` keeps: those reached from package.json's
 * dependencies through required (not optional) edges, resolved the way Node finds them in node_modules.
 */
export function prunedPackages(root: string, omits: string[]): string[] {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as LockPackage & {
    devDependencies?: Record<string, string>;
  };
  const keepOptional = !omits.includes('optional');
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ;) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (lock.packages[candidate]) return candidate;
      if (!dir) return undefined;
      const parent = dir.lastIndexOf('/node_modules/');
      dir = parent === -1 ? '' : dir.slice(0, parent);
    }
  };
  const edges = (pkg: LockPackage) => [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}).filter((n) => keepOptional || !pkg.peerDependenciesMeta?.[n]?.optional),
    ...(keepOptional ? Object.keys(pkg.optionalDependencies ?? {}) : []),
  ];
  const kept = new Set<string>();
  const queue = edges({
    ...manifest,
    ...(omits.includes('dev') ? {} : { dependencies: { ...manifest.dependencies, ...manifest.devDependencies } }),
  })
    .map((name) => resolve('', name))
    .filter((p): p is string => !!p);
  while (queue.length) {
    const at = queue.pop()!;
    if (kept.has(at)) continue;
    kept.add(at);
    for (const name of edges(lock.packages[at]!)) {
      const found = resolve(at, name);
      if (found && !kept.has(found)) queue.push(found);
    }
  }
  return [...kept].sort();
}

/**
 * Lays out, in `dir`, the files the image holds: dist/ compiled from this tree, node_modules pruned
 * as the build stage prunes it (hard links to this tree's copies), and the files copied from the context.
 */
export function layOutImage(root: string, dir: string, recipe: ImageRecipe): void {
  for (const copy of recipe.copies) {
    const dest = path.join(dir, copy.dest);
    for (const source of copy.sources) {
      const name = path.basename(source);
      if (copy.fromBuild && name === 'dist') {
        execFileSync(
          process.execPath,
          [
            path.join(root, 'node_modules/typescript/bin/tsc'),
            '-p',
            path.join(root, 'tsconfig.build.json'),
            '--outDir',
            dest,
            '--tsBuildInfoFile',
            path.join(dir, '.tsbuildinfo'),
          ],
          { cwd: root, stdio: 'pipe' },
        );
        rmSync(path.join(dir, '.tsbuildinfo'), { force: true });
      } else if (copy.fromBuild && name === 'node_modules') {
        for (const pkg of prunedPackages(root, recipe.pruneOmits)) {
          const target = path.join(dest, pkg.slice('node_modules/'.length));
          if (existsSync(target)) continue;
          mkdirSync(path.dirname(target), { recursive: true });
          execFileSync('cp', ['-al', path.join(root, pkg), target]);
          // A package's own node_modules holds only what the walk keeps: each kept one is copied on its own.
          rmSync(path.join(target, 'node_modules'), { recursive: true, force: true });
        }
      } else if (copy.fromBuild) {
        throw new Error(`the test does not know how the build stage makes ${source}`);
      } else {
        const into = copy.dest.endsWith('/') ? path.join(dest, name) : dest;
        mkdirSync(path.dirname(into), { recursive: true });
        cpSync(path.join(root, source), into, { recursive: true });
      }
    }
  }
}
