import 'reflect-metadata';

import { randomBytes } from 'node:crypto';

import { Client } from 'pg';
import type { DataSource, EntityMetadata } from 'typeorm';

import { createDataSource } from '../src/data-source';
import { ENTITIES } from '../src/entities';

/**
 * The entities are documentation only (`synchronize` is off and repositories use SQL), so
 * nothing else would notice them drifting from the migrations: this test compares TypeORM's
 * metadata with the schema the migrations actually build.
 */

interface DbColumn {
  readonly table: string;
  readonly column: string;
  /** information_schema's data_type, or `<element type>[]` for arrays. */
  readonly type: string;
  readonly nullable: boolean;
  readonly serial: boolean;
}

interface DbConstraint {
  readonly table: string;
  readonly kind: 'PRIMARY KEY' | 'UNIQUE';
  readonly columns: string[];
}

function adminUrl(): string {
  const url = process.env.WHARF_TEST_DATABASE_URL;
  if (!url) throw new Error('WHARF_TEST_DATABASE_URL is not set: run integration tests through jest --selectProjects integration (its globalSetup starts PostgreSQL)');
  return url;
}

async function asAdmin<T>(act: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    return await act(admin);
  } finally {
    await admin.end();
  }
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();
const columnSet = (columns: readonly string[]): string => sorted(columns).join(',');

describe('entities match the migrated schema', () => {
  const databaseName = `wharf_schema_${randomBytes(6).toString('hex')}`;
  let dataSource: DataSource | undefined;
  let tables: string[];
  let columns: DbColumn[];
  let constraints: DbConstraint[];

  beforeAll(async () => {
    await asAdmin((admin) => admin.query(`CREATE DATABASE ${databaseName}`));
    const url = new URL(adminUrl());
    url.pathname = `/${databaseName}`;
    dataSource = createDataSource({ url: url.toString(), poolSize: 2 });
    await dataSource.initialize();
    await dataSource.runMigrations();

    const tableRows: { table_name: string }[] = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    tables = sorted(tableRows.map((r) => r.table_name));

    const columnRows: { table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string; column_default: string | null }[] =
      await dataSource.query(
        `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
           FROM information_schema.columns WHERE table_schema = 'public'`,
      );
    const elementTypes: { udt_name: string; element_type: string }[] = await dataSource.query(
      `SELECT a.typname AS udt_name, format_type(a.typelem, NULL) AS element_type FROM pg_type a WHERE a.typname = ANY($1)`,
      [columnRows.filter((r) => r.data_type === 'ARRAY').map((r) => r.udt_name)],
    );
    const elementOf = new Map(elementTypes.map((r) => [r.udt_name, r.element_type]));
    columns = columnRows.map((r) => ({
      table: r.table_name,
      column: r.column_name,
      type: r.data_type === 'ARRAY' ? `${elementOf.get(r.udt_name)}[]` : r.data_type,
      nullable: r.is_nullable === 'YES',
      serial: r.column_default?.startsWith('nextval(') ?? false,
    }));

    const constraintRows: { table_name: string; constraint_type: 'PRIMARY KEY' | 'UNIQUE'; columns: string[] }[] = await dataSource.query(
      `SELECT tc.table_name, tc.constraint_type, array_agg(kcu.column_name::text ORDER BY kcu.ordinal_position) AS columns
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu
           ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
        WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
        GROUP BY tc.table_name, tc.constraint_name, tc.constraint_type`,
    );
    constraints = constraintRows.map((r) => ({ table: r.table_name, kind: r.constraint_type, columns: r.columns }));
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await asAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
  });

  const metadataOf = (): EntityMetadata[] => dataSource!.entityMetadatas;

  it('registers every entity of ENTITIES, each on its own table', () => {
    const metadata = metadataOf();
    expect(sorted(metadata.map((m) => m.name))).toEqual(sorted(ENTITIES.map((entity) => entity.name)));
    const names = metadata.map((m) => m.tableName);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has an entity for every table the migrations create', () => {
    const mapped = new Set(metadataOf().map((m) => m.tableName));
    const withoutEntity = tables.filter((table) => table !== 'wharf_migrations' && !mapped.has(table));
    expect(withoutEntity).toEqual([]);
  });

  it.each(ENTITIES.map((entity) => [entity.name, entity] as const))('%s matches its table', (_name, entity) => {
    const metadata = dataSource!.getMetadata(entity);
    const table = metadata.tableName;
    expect(tables).toContain(table);

    const inDatabase = new Map(columns.filter((c) => c.table === table).map((c) => [c.column, c]));
    const inEntity = new Map(metadata.columns.map((c) => [c.databaseName, c]));
    expect({ table, columns: sorted(inEntity.keys()) }).toEqual({ table, columns: sorted(inDatabase.keys()) });

    // One object for every column, so that a failure names every difference at once.
    const described = (column: string, nullable: boolean, type: string, generated: boolean) => ({ column, nullable, type, generated });
    const expected = [...inDatabase.values()].map((c) => described(c.column, c.nullable, c.type, c.serial));
    const actual = metadata.columns.map((c) =>
      described(c.databaseName, c.isNullable, `${dataSource!.driver.normalizeType(c)}${c.isArray ? '[]' : ''}`, c.isGenerated && c.generationStrategy === 'increment'),
    );
    expect(sortByColumn(actual)).toEqual(sortByColumn(expected));

    const primary = constraints.filter((c) => c.table === table && c.kind === 'PRIMARY KEY').map((c) => columnSet(c.columns));
    expect({ table, primary: [columnSet(metadata.primaryColumns.map((c) => c.databaseName))] }).toEqual({ table, primary });

    const uniques = constraints.filter((c) => c.table === table && c.kind === 'UNIQUE').map((c) => columnSet(c.columns));
    expect({ table, uniques: sorted(metadata.uniques.map((u) => columnSet(u.columns.map((c) => c.databaseName)))) }).toEqual({ table, uniques: sorted(uniques) });
  });
});

function sortByColumn<T extends { column: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
}
