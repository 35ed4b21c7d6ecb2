# Vault policy for backwatch's agent: read the four widget secrets, nothing else.
#   vault policy write backwatch deploy/vault/backwatch-policy.hcl
# KV v2: the API path has a data/ segment that `vault kv` commands hide.
path "secret/data/backwatch/*" {
  capabilities = ["read"]
}
