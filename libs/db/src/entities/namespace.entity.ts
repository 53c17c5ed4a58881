import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A name that owns repositories: an organization, or the personal namespace of a user. Users
 * and organizations share one name space, so `docker push alice/app` can never be ambiguous.
 */
@Entity({ name: 'namespace' })
export class NamespaceEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text' })
  kind!: 'user' | 'organization';

  /** Anyone may pull its repositories, unless a repository says otherwise. */
  @Column({ type: 'boolean' })
  public!: boolean;

  @Column({ type: 'text' })
  description!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
