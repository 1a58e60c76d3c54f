from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0002_remove_product_sku'),
    ]

    operations = [
        migrations.RunSQL(
            sql="""
                ALTER TABLE shop_product ADD COLUMN price numeric(10, 2);
                ALTER TABLE shop_product ALTER COLUMN price SET NOT NULL;
            """,
            reverse_sql="ALTER TABLE shop_product DROP COLUMN price;",
        ),
        migrations.RunSQL(
            "CREATE INDEX shop_product_price_idx ON shop_product (price)",
            reverse_sql="DROP INDEX shop_product_price_idx",
        ),
    ]
