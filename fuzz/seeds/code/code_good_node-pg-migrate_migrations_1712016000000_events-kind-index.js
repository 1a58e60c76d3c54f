exports.up = (pgm) => {
  pgm.noTransaction();
  pgm.createIndex('events', 'kind', { concurrently: true });
};

exports.down = (pgm) => {
  pgm.noTransaction();
  pgm.sql('DROP INDEX CONCURRENTLY events_kind_index');
};
