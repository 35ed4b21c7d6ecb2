#!/usr/bin/env bash
# backwatch: create a read-only (PVEAuditor) user and API token on Proxmox VE.
# Run as root on any node of the cluster. Safe to run again: nothing is created twice,
# ACLs are (re)applied, and an existing token is kept (its secret cannot be shown again).
#
#   deploy/pve-setup.sh [--user glance@pve] [--token backwatch] [--pbs-storage STORAGE]...
#
# What it does (the same as plain commands: docs/deploy.md, "PVE token"):
#  1. creates the user (realm pve, no password: it can only be used through its tokens);
#  2. creates the token with privilege separation, unless it exists, and prints it once in
#     the form the Vault template stores and Caddy sends (user@realm!token=secret);
#  3. grants PVEAuditor on / to the user AND to the token (a privilege-separated token
#     needs its own ACL; its rights are the intersection with its user's). That covers
#     backup jobs, guests, "not backed up", version and node time.
#
# "PBS via PVE" (listing a PBS storage's backups through PVE) is NOT covered by
# PVEAuditor: PVE silently filters the listing unless the token has Datastore.Allocate on
# /storage/STORAGE (or Datastore.AllocateSpace plus VM.Backup on every guest). Those are
# write privileges (Datastore.Allocate can delete backups in that storage). Prefer reading
# PBS directly (deploy/pbs-setup.sh). If you must, --pbs-storage STORAGE grants
# PVEDatastoreAdmin on /storage/STORAGE only, to user and token; the Caddy gate still only
# forwards the content listing, but the token itself is then a more valuable secret.
set -euo pipefail

user="${BACKWATCH_PVE_USER:-glance@pve}"
token="${BACKWATCH_PVE_TOKEN:-backwatch}"
storages=()

usage() {
	sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
}

while [ "$#" -gt 0 ]; do
	case "$1" in
	--user) user="${2:?--user needs a value}"; shift 2 ;;
	--token) token="${2:?--token needs a value}"; shift 2 ;;
	--pbs-storage) storages+=("${2:?--pbs-storage needs a value}"); shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "pve-setup.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
	esac
done

if ! [[ "$user" =~ ^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$ ]]; then
	echo "pve-setup.sh: --user must look like name@realm, got '$user'" >&2
	exit 2
fi
if ! [[ "$token" =~ ^[A-Za-z][A-Za-z0-9._-]*$ ]]; then
	echo "pve-setup.sh: --token must start with a letter (then letters, digits, '.', '_', '-'), got '$token'" >&2
	exit 2
fi
for st in "${storages[@]}"; do
	if ! [[ "$st" =~ ^[A-Za-z][A-Za-z0-9._-]*$ ]]; then
		echo "pve-setup.sh: not a storage id: '$st'" >&2
		exit 2
	fi
done

if ! command -v pveum >/dev/null 2>&1; then
	echo "pve-setup.sh: pveum not found; run this on a Proxmox VE node" >&2
	exit 1
fi

compact() {
	tr -d ' \n\t'
}

tokenid="${user}!${token}"

# 1. The user.
if pveum user list --output-format json | compact | grep -qF "\"userid\":\"${user}\""; then
	echo "user ${user}: exists"
else
	pveum user add "$user" --comment "backwatch (read-only, token access only)" >/dev/null
	echo "user ${user}: created"
fi

# 2. The token (pveum lists a token by its bare name).
secret=""
if pveum user token list "$user" --output-format json | compact | grep -qF "\"tokenid\":\"${token}\""; then
	echo "token ${tokenid}: exists (kept; PVE shows a token's secret only once)"
else
	out="$(pveum user token add "$user" "$token" --privsep 1 --comment "backwatch widget via Caddy" --output-format json)"
	secret="$(printf '%s' "$out" | compact | sed -n 's/.*"value":"\([^"]*\)".*/\1/p')"
	if [ -z "$secret" ]; then
		echo "pve-setup.sh: could not read the new token's value from: $out" >&2
		exit 1
	fi
	echo "token ${tokenid}: created"
fi

# 3. ACLs for user and token (acl modify replaces an existing entry).
grant() {
	local path="$1" role="$2"
	pveum acl modify "$path" --users "$user" --roles "$role" --propagate 1
	pveum acl modify "$path" --tokens "$tokenid" --roles "$role" --propagate 1
	echo "acl: ${role} on ${path} for ${user} and ${tokenid}"
}
grant / PVEAuditor
for st in "${storages[@]}"; do
	echo "WARNING: granting PVEDatastoreAdmin on /storage/${st}: this token can then delete backups in ${st}" >&2
	grant "/storage/${st}" PVEDatastoreAdmin
done

echo
if [ -n "$secret" ]; then
	cat <<OUT
The token's secret is shown only now. Store it in Vault (KV v2, key "token"):

  vault kv put secret/backwatch/pve token='${tokenid}=${secret}'

Vault Agent renders it to /run/caddy-secrets/pve as
  ${tokenid}=${secret}
and Caddy sends
  Authorization: PVEAPIToken=${tokenid}=${secret}
OUT
else
	cat <<OUT
Nothing to store: the token already existed, and Vault should already hold
  ${tokenid}=<secret>
under secret/backwatch/pve (key "token"). Lost the secret? Create a new token with
  $0 --token ${token}2
store that one, then remove the old one:
  pveum user token remove ${user} ${token}
OUT
fi
