import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An upload session. Its state lives here so that any API process can continue it. */
@Entity({ name: 'upload' })
export class UploadEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'repository_id', type: 'bigint' })
  repositoryId!: string;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey!: string;

  @Column({ name: 'driver_state', type: 'jsonb' })
  driverState!: Record<string, unknown>;

  /** The principal that opened the session: nobody else may read, extend, finish or cancel it. */
  @Column({ type: 'text' })
  owner!: string;

  /** Bytes durably stored so far: the next chunk must start here. */
  @Column({ type: 'bigint' })
  size!: string;

  /** `algorithm:hex` of the `size` bytes stored, when the process that stored them hashed them all. */
  @Column({ name: 'stored_digest', type: 'text', nullable: true })
  storedDigest!: string | null;

  /** The saved state of the SHA-256 of those bytes, behind the size it covers (8 bytes): any process goes on hashing the upload from it. */
  @Column({ name: 'hash_state', type: 'bytea', nullable: true })
  hashState!: Buffer | null;

  /** The request that alone may write to or commit the upload, while `writerUntil` is ahead. */
  @Column({ type: 'uuid', nullable: true })
  writer!: string | null;

  @Column({ name: 'writer_until', type: 'timestamptz', nullable: true })
  writerUntil!: Date | null;

  /** The writer's process's PostgreSQL backend: the claim ends when it is gone. */
  @Column({ name: 'writer_pid', type: 'integer', nullable: true })
  writerPid!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
