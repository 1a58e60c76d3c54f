// TypeORM entities (fixture for the TypeORM extractor).
import {
  Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany,
  PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn,
} from "typeorm";

export enum Role {
  Admin = "admin",
  Member = "member",
}

@Entity("users")
@Index(["email", "role"], { unique: true })
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 255 })
  email: string;

  @Column({ nullable: true })
  nickname: string;

  @Column({ type: "enum", enum: Role, default: Role.Member })
  role: Role;

  @Column("decimal", { precision: 10, scale: 2, default: 0 })
  balance: string;

  @Column({ name: "is_active", default: true })
  isActive: boolean;

  @Index()
  @Column()
  age: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;

  @OneToMany(() => Post, (post) => post.author)
  posts: Post[];
}

@Entity()
@Unique("UQ_post_slug", ["slug"])
export class BlogPost {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column("text")
  body: string;

  @Column()
  slug: string;

  @Column({ type: "jsonb", nullable: true })
  meta: object;

  @ManyToOne(() => User, (user) => user.posts, { onDelete: "CASCADE" })
  author: User;

  @ManyToOne(() => User, { nullable: false })
  @JoinColumn({ name: "editor_id" })
  editor: User;
}

@Entity({ name: "tags", schema: "content" })
export class Tag {
  @PrimaryColumn({ type: "varchar", length: 20 })
  code: string;

  @Column({ type: "simple-array" })
  aliases: string[];

  @Column()
  weird: Map<string, string>;
}
