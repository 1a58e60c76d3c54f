# db/schema.rb for the drift test (tests/t_orm_drift.sh).
ActiveRecord::Schema[7.1].define(version: 2024_03_01_000000) do
  create_table "users", force: :cascade do |t|
    t.string "email", null: false
    t.string "name", limit: 100
    t.boolean "admin", default: false, null: false
    t.datetime "created_at", null: false
    t.datetime "updated_at", null: false
    t.index ["email"], name: "index_users_on_email", unique: true
  end

  create_table "posts", force: :cascade do |t|
    t.bigint "user_id", null: false
    t.text "body"
    t.index ["user_id"], name: "index_posts_on_user_id"
  end

  add_foreign_key "posts", "users"
end
