/**
 * @type {import('node-pg-migrate').ColumnDefinitions | undefined}
 */
exports.shorthands = undefined;

/**
 * @param pgm {import('node-pg-migrate').MigrationBuilder}
 * @param run {() => void | undefined}
 * @returns {Promise<void> | void}
 */
exports.up = (pgm) => {
  pgm.createIndex('invoices', 'customer');
  pgm.sql("ALTER TABLE invoices ADD COLUMN paid boolean NOT NULL");
};

exports.down = false;
