-- Neovim's built-in LSP client on govlint server, headless: open the records
-- named by $RECORDS, wait for their diagnostics, write them to $OUT, quit.
-- (vim.lsp.start_client works from Neovim 0.7; 0.11 has vim.lsp.config.)
local file = os.getenv("RECORDS")
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = "govlint",
  cmd = { os.getenv("GOVLINT_BIN"), "server" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
})
vim.lsp.buf_attach_client(buf, client)
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(lines, string.format("%d\t%s\t%d", d.lnum, d.code or "", d.severity))
end
vim.fn.writefile(lines, os.getenv("OUT"))
vim.cmd("qa!")
