import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One row per distinct blob, shared by every repository that links it. */
@Entity({ name: 'blob' })
export class BlobEntity {
  @PrimaryColumn({ type: 'text' })
  digest!: string;

  @Column({ type: 'bigint' })
  size!: string;

  /** Where the bytes are in blob storage; never derived from the digest. */
  @Column({ name: 'storage_key', type: 'text' })
  storageKey!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A repository may read a blob only through a link. */
@Entity({ name: 'repository_blob' })
export class RepositoryBlobEntity {
  @PrimaryColumn({ name: 'repository_id', type: 'bigint' })
  repositoryId!: string;

  @PrimaryColumn({ type: 'text' })
  digest!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
