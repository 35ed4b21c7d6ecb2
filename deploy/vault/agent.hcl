# Vault Agent for backwatch: renders one API token per file for Caddy, and nothing else.
# Caddy reads each file per request ({file./run/caddy-secrets/<name>} in Caddyfile.example),
# so a new secret is used on the next request, without a Caddy reload.
#
# Install: /etc/vault-agent-backwatch/agent.hcl, run by
# deploy/systemd/vault-agent-backwatch.service (user vault-agent, group caddy; the unit
# creates /run/caddy-secrets 0750 and keeps it across restarts). Vault side: policy
# deploy/vault/backwatch-policy.hcl and an AppRole (docs/deploy.md, "Vault").
#
# Secrets: KV version 2 at secret/backwatch/<source>, key "token" (Backrest: "username"
# and "password"). Templates read .Data.data.<key> (KV v2 nests the data once more).

vault {
  address = "https://vault.home.lan:8200"
  # A private CA for Vault's own certificate:
  # ca_cert = "/etc/vault-agent-backwatch/vault-ca.pem"
}

auto_auth {
  method "approle" {
    mount_path = "auth/approle"
    config = {
      role_id_file_path   = "/etc/vault-agent-backwatch/role-id"
      secret_id_file_path = "/etc/vault-agent-backwatch/secret-id"
      # Default true: the agent would delete the secret-id file after reading it, and the
      # next restart could not log in again.
      remove_secret_id_file_after_reading = false
    }
  }
  # No sink: the agent only renders templates, its Vault token never lands on disk.
}

template_config {
  # With error_on_missing_key on every template: a missing secret or key stops the agent
  # (systemd restarts it and the journal says why) instead of rendering "<no value>",
  # which Caddy would send as a token.
  exit_on_retry_failure = true
  # KV v2 secrets are not leased: re-read them this often (default 5m). This bounds how
  # long a rotation takes to reach Caddy.
  static_secret_render_interval = "1m"
}

# One template per source. No trailing newline in the rendered file (Caddy >= 2.9 strips one
# anyway; 2.8 would send it). Mode 0640: owner vault-agent, group caddy (the unit's Group=).

# PBS: user@realm!tokenname:secret
template {
  contents             = "{{ with secret \"secret/data/backwatch/pbs\" }}{{ .Data.data.token }}{{ end }}"
  destination          = "/run/caddy-secrets/pbs"
  perms                = "0640"
  error_on_missing_key = true
}

# PVE: user@realm!tokenid=secret
template {
  contents             = "{{ with secret \"secret/data/backwatch/pve\" }}{{ .Data.data.token }}{{ end }}"
  destination          = "/run/caddy-secrets/pve"
  perms                = "0640"
  error_on_missing_key = true
}

# Databasement: the Sanctum token of a Viewer user, <id>|<secret>
template {
  contents             = "{{ with secret \"secret/data/backwatch/databasement\" }}{{ .Data.data.token }}{{ end }}"
  destination          = "/run/caddy-secrets/databasement"
  perms                = "0640"
  error_on_missing_key = true
}

# Backrest: Basic auth, so the file holds base64("username:password"), computed here.
template {
  contents             = "{{ with secret \"secret/data/backwatch/backrest\" }}{{ printf \"%s:%s\" .Data.data.username .Data.data.password | base64Encode }}{{ end }}"
  destination          = "/run/caddy-secrets/backrest"
  perms                = "0640"
  error_on_missing_key = true
}

# A second PBS (import pbs pbs_offsite … in the Caddyfile) gets its own template:
# template {
#   contents             = "{{ with secret \"secret/data/backwatch/pbs-offsite\" }}{{ .Data.data.token }}{{ end }}"
#   destination          = "/run/caddy-secrets/pbs-offsite"
#   perms                = "0640"
#   error_on_missing_key = true
# }
