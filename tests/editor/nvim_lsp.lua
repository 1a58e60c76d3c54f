-- nvim_lsp.lua - Neovim (headless) as the language server's client, for
-- tests/t_lsp.sh: starts `$MIGRALINT lsp` with Neovim's own LSP client,
-- opens $REPO/migrations/000002_widen.up.sql (which drops a table a view
-- reads), edits it twice through the
-- buffer API (Neovim sends the didChange itself), and writes what it saw
-- after each step to $OUT, one line per step: the rule ids of the
-- buffer's diagnostics, sorted, or "timeout".
local repo, out = os.getenv("REPO"), assert(io.open(os.getenv("OUT"), "w"))

local id = vim.lsp.start_client({
  name = "migralint",
  cmd = { os.getenv("MIGRALINT"), "lsp" },
  root_dir = repo,
  flags = { debounce_text_changes = 0 },
})
vim.cmd("edit " .. repo .. "/migrations/000002_widen.up.sql")
vim.lsp.buf_attach_client(0, id)

local function codes()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, tostring(d.code or lsp.code))
  end
  table.sort(list)
  return table.concat(list, " ")
end

-- Waits until the diagnostics' rule ids are want, and writes what it saw.
local function step(name, want)
  local ok = vim.wait(20000, function() return codes() == want end, 20)
  out:write(name .. ": " .. (ok and codes() or ("timeout, last: " .. codes())) .. "\n")
end

step("open", "drop-table missing-lock-timeout replay-conflict")
vim.api.nvim_buf_set_lines(0, 0, -1, false,
  { "SET lock_timeout = '1s';", "ALTER TABLE users ALTER COLUMN name TYPE varchar(10);" })
step("edit 1", "alter-column-type")
vim.api.nvim_buf_set_lines(0, 0, -1, false, { "SELECT 1;" })
step("edit 2", "")
out:close()
vim.lsp.stop_client(id)
vim.cmd("qa!")
