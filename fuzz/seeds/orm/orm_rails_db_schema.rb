# This file is auto-generated from the current state of the database.
# (fixture for the db/schema.rb extractor, in the style of Rails 7.1's dumper)

ActiveRecord::Schema[7.1].define(version: 2024_01_15_120000) do
  # These are extensions that must be enabled in order to support this database
  enable_extension "pgcrypto"
  enable_extension "plpgsql"

  # Custom types defined in this database.
  create_enum "mood", ["happy", "sad"]

  create_table "users", force: :cascade do |t|
    t.string "email", null: false
    t.string "name", limit: 100
    t.integer "age", limit: 2
    t.boolean "admin", default: false, null: false
    t.decimal "balance", precision: 12, scale: 2, default: "0.0"
    t.jsonb "prefs", default: {}
    t.enum "mood", default: "happy", enum_type: "mood"
    t.string "tags", default: [], array: true
    t.datetime "confirmed_at", precision: nil
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["email"], name: "index_users_on_email", unique: true
    t.index "lower((name)::text)", name: "index_users_on_lower_name"
  end

  create_table "posts", id: :uuid, default: -> { "gen_random_uuid()" }, force: :cascade do |t|
    t.bigint "user_id", null: false
    t.text "body"
    t.integer "views", default: 0
    t.timestamps
    t.index ["user_id"], name: "index_posts_on_user_id"
  end

  create_table "categories_posts", id: false, force: :cascade do |t|
    t.bigint "category_id", null: false
    t.uuid "post_id", null: false
    t.index ["category_id", "post_id"], name: "index_categories_posts", unique: true
  end

  create_table "categories", id: :serial, force: :cascade do |t|
    t.string "title"
  end

  add_foreign_key "posts", "users", on_delete: :cascade
  add_foreign_key "categories_posts", "categories"
  add_foreign_key "categories_posts", "posts", column: "post_id", name: "fk_cp_post"
end
