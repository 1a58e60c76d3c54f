exports.up = (pgm) => {
  pgm.noTransaction();
  pgm.createIndex('invoices', ['customer', 'total'], { concurrently: true, name: 'invoices_customer_total_idx' });
};

exports.down = (pgm) => {
  pgm.dropIndex('invoices', ['customer', 'total'], { concurrently: true, name: 'invoices_customer_total_idx' });
};
