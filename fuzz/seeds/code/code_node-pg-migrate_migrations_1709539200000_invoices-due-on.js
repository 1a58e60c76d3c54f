exports.up = (pgm) => {
  pgm.sql("SET lock_timeout = '5s'");
  pgm.sql('ALTER TABLE invoices ADD COLUMN due_on date');
};

exports.down = (pgm) => {
  pgm.sql("SET lock_timeout = '5s'");
  pgm.sql('ALTER TABLE invoices DROP COLUMN customer');
};
