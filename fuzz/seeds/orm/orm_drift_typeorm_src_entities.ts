// TypeORM entities for the drift test (tests/t_orm_drift.sh).
import { Column, CreateDateColumn, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";

@Entity("users")
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 255, unique: true })
  email: string;

  @Column({ nullable: true })
  nickname: string;

  @Column({ default: 0 })
  karma: number;

  @CreateDateColumn()
  createdAt: Date;
}

@Entity("posts")
export class Post {
  @PrimaryGeneratedColumn()
  id: number;

  @Column("text")
  body: string;

  @ManyToOne(() => User, { onDelete: "CASCADE" })
  author: User;
}
