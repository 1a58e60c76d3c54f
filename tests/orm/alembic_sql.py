"""alembic_sql.py VERSIONS - prints what `alembic upgrade heads --sql` writes
for the revisions in VERSIONS (offline mode, PostgreSQL dialect), without
the alembic_version bookkeeping. Needs Debian's python3-alembic."""
import io
import os
import re
import shutil
import sys
import tempfile

from alembic import command
from alembic.config import Config

versions = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.getcwd())  # revisions may import the project
env = tempfile.mkdtemp()
with open(os.path.join(env, "env.py"), "w") as f:
    f.write(
        "from alembic import context\n"
        "context.configure(url='postgresql://', literal_binds=True)\n"
        "with context.begin_transaction():\n"
        "    context.run_migrations()\n"
    )
shutil.copy(os.path.join(os.path.dirname(command.__file__), "templates", "generic", "script.py.mako"), env)
cfg = Config()
cfg.set_main_option("script_location", env)
cfg.set_main_option("version_locations", versions)
out = io.StringIO()
cfg.output_buffer = out
command.upgrade(cfg, "heads", sql=True)
shutil.rmtree(env)
sql = out.getvalue()
# the version table is Alembic's, not the project's
sql = re.sub(r"CREATE TABLE alembic_version \(.*?\);\n", "", sql, flags=re.S)
sql = re.sub(r"(INSERT INTO|UPDATE) alembic_version[^;]*;\n", "", sql)
sys.stdout.write(sql)
