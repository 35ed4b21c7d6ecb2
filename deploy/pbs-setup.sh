#!/usr/bin/env bash
# backwatch: create a read-only (Audit) user and API token on a Proxmox Backup Server.
# Run as root on the PBS host. Safe to run again: nothing is created twice, ACLs are
# (re)applied, and an existing token is kept (its secret cannot be shown again).
#
#   deploy/pbs-setup.sh [--user glance@pbs] [--token backwatch] [--datastore NAME]...
#                       [--remote-audit] [--tape-audit]
#
# What it does (the same as plain commands: docs/deploy.md, "PBS token"):
#  1. creates the user (realm pbs, no password: it can only be used through its tokens);
#  2. creates the token, unless it exists, and prints it once in the form the Vault
#     template stores and Caddy sends (user@realm!token:secret);
#  3. grants the role to the user AND to the token. PBS tokens have privilege separation:
#     a token's rights are the intersection of its own ACLs and its user's, so a token
#     without its own ACL authenticates but sees nothing (empty lists, 403).
#     Default: Audit on / (Sys.Audit + Datastore.Audit: datastores, jobs, tasks, node
#     status; never read or restore data). With --datastore: DatastoreAudit on each
#     /datastore/NAME plus Audit on /system (tasks, node status) instead.
#     --remote-audit adds RemoteAudit on /remote (otherwise sync jobs that pull from or push
#     to a remote are silently hidden); --tape-audit adds TapeAudit on /tape (tape jobs).
#
# An existing token is never regenerated or deleted. To rotate without downtime: run with
# a new --token name, store the printed value in Vault, wait for Vault Agent to render it
# (static_secret_render_interval), then delete the old token:
#   proxmox-backup-manager user delete-token glance@pbs backwatch
set -euo pipefail

user="${BACKWATCH_PBS_USER:-glance@pbs}"
token="${BACKWATCH_PBS_TOKEN:-backwatch}"
datastores=()
remote_audit=0
tape_audit=0

usage() {
	sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
}

while [ "$#" -gt 0 ]; do
	case "$1" in
	--user) user="${2:?--user needs a value}"; shift 2 ;;
	--token) token="${2:?--token needs a value}"; shift 2 ;;
	--datastore) datastores+=("${2:?--datastore needs a value}"); shift 2 ;;
	--remote-audit) remote_audit=1; shift ;;
	--tape-audit) tape_audit=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "pbs-setup.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
	esac
done

# Shapes PBS accepts (pbs-api-types): user@realm and a token name of safe characters.
if ! [[ "$user" =~ ^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$ ]]; then
	echo "pbs-setup.sh: --user must look like name@realm, got '$user'" >&2
	exit 2
fi
if ! [[ "$token" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]]; then
	echo "pbs-setup.sh: --token must be letters, digits, '.', '_', '-', got '$token'" >&2
	exit 2
fi
for ds in "${datastores[@]}"; do
	if ! [[ "$ds" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]]; then
		echo "pbs-setup.sh: not a datastore name: '$ds'" >&2
		exit 2
	fi
done

if ! command -v proxmox-backup-manager >/dev/null 2>&1; then
	echo "pbs-setup.sh: proxmox-backup-manager not found; run this on the PBS host" >&2
	exit 1
fi

pbm() {
	proxmox-backup-manager "$@"
}

# JSON output without spaces or newlines, for fixed-string matching without jq.
compact() {
	tr -d ' \n\t'
}

tokenid="${user}!${token}"

# 1. The user.
if pbm user list --output-format json | compact | grep -qF "\"userid\":\"${user}\""; then
	echo "user ${user}: exists"
else
	pbm user create "$user" --comment "backwatch (read-only, token access only)" >/dev/null
	echo "user ${user}: created"
fi

# 2. The token.
secret=""
if pbm user list-tokens "$user" --output-format json | compact | grep -qF "\"tokenid\":\"${tokenid}\""; then
	echo "token ${tokenid}: exists (kept; PBS shows a token's secret only once)"
else
	out="$(pbm user generate-token "$user" "$token" --comment "backwatch widget via Caddy" --output-format json)"
	secret="$(printf '%s' "$out" | compact | sed -n 's/.*"value":"\([^"]*\)".*/\1/p')"
	if [ -z "$secret" ]; then
		echo "pbs-setup.sh: could not read the new token's value from: $out" >&2
		exit 1
	fi
	echo "token ${tokenid}: created"
fi

# 3. ACLs, for the user and for the token (acl update replaces an existing entry).
grant() {
	local path="$1" role="$2" id
	for id in "$user" "$tokenid"; do
		pbm acl update "$path" "$role" --auth-id "$id" --propagate true
	done
	echo "acl: ${role} on ${path} for ${user} and ${tokenid}"
}
if [ "${#datastores[@]}" -eq 0 ]; then
	grant / Audit
else
	for ds in "${datastores[@]}"; do
		grant "/datastore/${ds}" DatastoreAudit
	done
	grant /system Audit
fi
if [ "$remote_audit" -eq 1 ]; then
	grant /remote RemoteAudit
fi
if [ "$tape_audit" -eq 1 ]; then
	grant /tape TapeAudit
fi

echo
if [ -n "$secret" ]; then
	cat <<OUT
The token's secret is shown only now. Store it in Vault (KV v2, key "token"):

  vault kv put secret/backwatch/pbs token='${tokenid}:${secret}'

Vault Agent renders it to /run/caddy-secrets/pbs as
  ${tokenid}:${secret}
and Caddy sends
  Authorization: PBSAPIToken=${tokenid}:${secret}
OUT
else
	cat <<OUT
Nothing to store: the token already existed, and Vault should already hold
  ${tokenid}:<secret>
under secret/backwatch/pbs (key "token"). Lost the secret? Create a new token with
  $0 --token ${token}2
store that one, then delete the old one:
  proxmox-backup-manager user delete-token ${user} ${token}
OUT
fi
