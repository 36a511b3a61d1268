/**
 * `adctl schema <name>`: prints the JSON Schema of a file format adctl reads, generated from the
 * same zod schema that validates the file (so editors and CI linters check exactly what adctl
 * checks). Table-driven: a new format is one row in SCHEMAS.
 */
import type { Command } from '../commander.js';
import { action, examples } from '../run.js';

interface SchemaRow {
  description: string;
  /** Loaded lazily: zod and the schema module stay off the start-up path. */
  load(): Promise<Record<string, unknown>>;
}

export const SCHEMAS: Record<string, SchemaRow> = {
  posts: {
    description: 'posts.yaml, read by `post sync` and `post publish-due`',
    load: async () => (await import('../../core/posts-file.js')).postsJsonSchema(),
  },
  campaigns: {
    description: 'the campaign spec, read by `plan` and `apply`, written by `import`',
    load: async () => (await import('../../core/spec.js')).campaignsJsonSchema(),
  },
};

export function registerSchemaCommands(program: Command): void {
  const schema = program
    .command('schema [name]')
    .description(`print the JSON Schema of a file format: ${Object.keys(SCHEMAS).join(', ')}`);
  schema.action(action(async (ctx) => {
    const name = (schema.args[0] ?? '').trim();
    if (!name) {
      if (ctx.out.json) return ctx.out.data(Object.entries(SCHEMAS).map(([n, r]) => ({ name: n, description: r.description })));
      ctx.out.table(['NAME', 'FILE'], Object.entries(SCHEMAS).map(([n, r]) => [n, r.description]));
      return;
    }
    const row = SCHEMAS[name];
    if (!row) {
      const { usageError } = await import('../../core/errors.js');
      throw usageError('UNKNOWN_SCHEMA', `no schema named "${name}"`, `choose one of: ${Object.keys(SCHEMAS).join(', ')}`);
    }
    // The schema is a JSON document whether or not --json is given.
    ctx.out.data(await row.load());
  }));
  examples(schema, ['adctl schema posts > posts.schema.json', 'adctl schema', "adctl schema posts | jq '.properties.posts.items.required'"]);
}
