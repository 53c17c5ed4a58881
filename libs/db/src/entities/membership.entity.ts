import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A user's direct role in an organization. */
@Entity({ name: 'org_member' })
export class OrgMemberEntity {
  @PrimaryColumn({ name: 'namespace_id', type: 'bigint' })
  namespaceId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @Column({ type: 'text' })
  role!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A group of users in an organization; each member holds the team's role there. */
@Entity({ name: 'team' })
@Unique(['namespaceId', 'name'])
export class TeamEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'namespace_id', type: 'bigint' })
  namespaceId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'team_member' })
export class TeamMemberEntity {
  @PrimaryColumn({ name: 'team_id', type: 'bigint' })
  teamId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId!: string;
}
