import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'repository' })
export class RepositoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  /**
   * The namespace of the name's first path component, by id: a deleted and re-created
   * namespace of the same name inherits nothing.
   */
  @Column({ name: 'namespace_id', type: 'bigint' })
  namespaceId!: string;

  /** Anyone may pull; null follows the namespace's `public`. */
  @Column({ type: 'boolean', nullable: true })
  public!: boolean | null;

  @Column({ type: 'text' })
  description!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
