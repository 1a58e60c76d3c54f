import type { Config } from "drizzle-kit";

export default {
  dialect: "postgresql",
  schema: ["./db/accounts.ts", "./db/billing.ts"],
  out: "./migrations",
  casing: "snake_case",
} satisfies Config;
