-- Runs the README's Neovim configuration in headless Neovim and records what a user would see.
-- Environment: SLIMFILE_NVIM_CONFIG (the README's Lua), SLIMFILE_NVIM_FILE (the Dockerfile),
-- SLIMFILE_NVIM_ACTION (build, compare or cancel), SLIMFILE_NVIM_MARKER (cancel: a log line
-- that says the slow step runs), SLIMFILE_NVIM_OUT (where the record goes, as JSON).
local seen = { notified = {}, shown = {}, logged = {}, progress = {}, diagnostics = 0, done = false }

local function save()
  local file = assert(io.open(os.getenv('SLIMFILE_NVIM_OUT'), 'w'))
  file:write(vim.fn.json_encode(seen))
  file:close()
end

-- nvim-lspconfig cannot be installed here. This stands in for the two entry points the README
-- uses, doing what lspconfig does with them: on the filetype, start the client with the
-- default_config (cmd, filetypes, init_options, root_dir resolved for the file) and attach it.
package.loaded['lspconfig.util'] = {
  root_pattern = function(...)
    local names = { ... }
    return function(file)
      local found = vim.fn.findfile(names[1], vim.fn.fnamemodify(file, ':p:h') .. ';')
      return found ~= '' and vim.fn.fnamemodify(found, ':p:h') or nil
    end
  end,
}
package.loaded['lspconfig.configs'] = {}
package.loaded['lspconfig'] = setmetatable({}, {
  __index = function(_, name)
    local default = package.loaded['lspconfig.configs'][name].default_config
    return {
      setup = function(user)
        vim.api.nvim_create_autocmd('FileType', {
          pattern = default.filetypes,
          callback = function(args)
            local file = vim.api.nvim_buf_get_name(args.buf)
            local config = vim.tbl_extend('force', default, user, { name = name, root_dir = default.root_dir(file) or vim.fn.fnamemodify(file, ':p:h') })
            vim.lsp.buf_attach_client(args.buf, vim.lsp.start_client(config))
          end,
        })
      end,
    }
  end,
})

-- What reaches the user: notifications, messages, the log, progress.
local notify = vim.notify
vim.notify = function(message, level, opts)
  table.insert(seen.notified, message)
  return notify(message, level, opts)
end
for _, method in ipairs({ 'window/showMessage', 'window/logMessage', '$/progress' }) do
  local original = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, result, ctx, config)
    if method == 'window/showMessage' then table.insert(seen.shown, result.message) end
    if method == 'window/logMessage' then table.insert(seen.logged, result.message) end
    if method == '$/progress' then table.insert(seen.progress, { token = result.token, value = result.value }) end
    return original(err, result, ctx, config)
  end
end

dofile(os.getenv('SLIMFILE_NVIM_CONFIG'))

vim.cmd('filetype on')
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('SLIMFILE_NVIM_FILE')))
local ready = vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
seen.diagnostics = #vim.diagnostic.get(0)
if not ready then
  save()
  vim.cmd('qa!')
end

local function ended()
  for _, p in ipairs(seen.progress) do
    if p.value.kind == 'end' then return true end
  end
  return false
end

local action = os.getenv('SLIMFILE_NVIM_ACTION')
if action == 'cancel' then
  vim.cmd('SlimfileBuild')
  local marker = os.getenv('SLIMFILE_NVIM_MARKER')
  vim.wait(600000, function()
    for _, line in ipairs(seen.logged) do
      if line:sub(1, 2 + #marker) == '  ' .. marker then return true end
    end
    return false
  end, 50)
  vim.cmd('SlimfileCancel')
  seen.done = vim.wait(120000, ended, 50)
else
  vim.cmd(action == 'compare' and 'SlimfileCompare' or 'SlimfileBuild')
  seen.done = vim.wait(1200000, function() return #seen.shown > 0 or #seen.notified > 0 end, 50)
  -- The outcome is shown before the progress ends; a refusal starts none.
  if #seen.shown > 0 then vim.wait(60000, ended, 50) end
end
save()
vim.cmd('qa!')
