const tableName = 'orders';

/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function(knex) {
  await knex.schema.alterTable(tableName, (table) => {
    table.timestamp('archived_at').defaultTo(knex.raw('now()'));
  });
  await knex.raw(`ALTER TABLE ${tableName} ALTER COLUMN status SET NOT NULL`);
  await knex.raw('UPDATE ?? SET archived_at = now()', [tableName]);
};

/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = async function(knex) {
  await knex.schema.alterTable(tableName, (table) => {
    table.dropColumn('archived_at');
  });
};
