/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.up = async function(knex) {
  await knex.raw('CREATE INDEX orders_status_idx ON orders (status)');
  await knex.schema.alterTable('orders', (table) => {
    table.dropColumn('note');
  });
  const column = 'status';
  await knex.raw('ALTER TABLE orders ALTER COLUMN ' + column + ' TYPE text');
};

/**
 * @param { import("knex").Knex } knex
 * @returns { Promise<void> }
 */
exports.down = function(knex) {};
