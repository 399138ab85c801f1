import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';

let loaded: Promise<void> | undefined;

// The project's lib settings carry no WebAssembly types; this is the one call Kuota makes.
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(
        bytes: Uint8Array,
        imports: Record<string, unknown>,
      ): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

/**
 * Prisma's schema engine compiled to WebAssembly: migrations with no engine download.
 * Instantiated by hand so Node 20 needs no --experimental-wasm-modules flag.
 */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const dir = path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm'));
    const bytes = readFileSync(path.join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': bg });
    (bg as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  })();
  return loaded;
}

export type OpenEngine = { engine: SchemaEngine; close(): Promise<void> };

/** The engine over the adapter's database; close() frees it and disposes the connections it opened (SQLite stays locked otherwise). */
export async function openSchemaEngine(
  schema: string,
  adapter: SqlMigrationAwareDriverAdapterFactory,
): Promise<OpenEngine> {
  await loadWasm();
  const opened: Array<{ dispose(): Promise<void> }> = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    connect: async () => {
      const connection = await adapter.connect();
      opened.push(connection);
      return connection;
    },
    connectToShadowDb: async () => {
      const connection = await adapter.connectToShadowDb();
      opened.push(connection);
      return connection;
    },
  };
  const engine = await bg.SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((c) => c.dispose()));
    },
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };
