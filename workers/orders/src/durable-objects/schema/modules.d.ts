/** drizzle-kit's Durable Object migrations (ADR 0020): `migrations.js` imports each step's `.sql` as text. */
declare module "*.sql" {
  const statements: string;
  export default statements;
}

declare module "*/migrations.js" {
  const migrations: {
    journal: { entries: { idx: number; when: number; tag: string; breakpoints: boolean }[] };
    migrations: Record<string, string>;
  };
  export default migrations;
}
