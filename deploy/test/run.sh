#!/usr/bin/env bash
# Tests for deploy/pbs-setup.sh and deploy/pve-setup.sh without a Proxmox host: the real
# commands are replaced by stubs (deploy/test/stubs) that keep state and log every call.
# Each script runs twice to prove it is idempotent. Also: bash -n on every script, and
# the shellcheck linter when it is installed (Debian package `shellcheck`).
# Run: bash deploy/test/run.sh   (tests/security_deploy_scripts.rs runs it under cargo)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deploy="$(dirname "$here")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
checks=0

ok() { checks=$((checks + 1)); }
bad() {
	checks=$((checks + 1))
	failures=$((failures + 1))
	echo "FAIL: $*" >&2
}
expect_line() { # file fixed-string description
	if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1:"; sed 's/^/    /' "$1" >&2; fi
}
expect_no_line() {
	if grep -qF -- "$2" "$1"; then bad "$3: '$2' unexpectedly in $1"; else ok; fi
}
expect_count() { # file fixed-string count description
	local n
	n="$(grep -cF -- "$2" "$1" || true)"
	if [ "$n" -eq "$3" ]; then ok; else bad "$4: '$2' $n times in $1, expected $3"; fi
}
expect_file() { # file expected-content description
	if [ "$(cat "$1")" = "$2" ]; then ok; else
		bad "$3: $1 is"
		sed 's/^/    /' "$1" >&2
		echo "  expected" >&2
		printf '%s\n' "$2" | sed 's/^/    /' >&2
	fi
}

scripts=("$deploy/pbs-setup.sh" "$deploy/pve-setup.sh" "$here/run.sh" "$here/stubs/proxmox-backup-manager" "$here/stubs/pveum")
for s in "${scripts[@]}"; do
	if bash -n "$s"; then ok; else bad "bash -n $s"; fi
done
if command -v shellcheck >/dev/null 2>&1; then
	if shellcheck "${scripts[@]}"; then ok; else bad "shellcheck"; fi
else
	echo "shellcheck not installed: skipped (apt-get install shellcheck)"
fi

run() { # state-dir script args... ; output to $work/out
	local state="$1"
	shift
	PATH="$here/stubs:$PATH" STUB_STATE="$state" bash "$@" >"$work/out" 2>"$work/err"
}

# --- PBS: default (Audit on /) plus RemoteAudit, twice ---
st="$work/pbs"
if run "$st" "$deploy/pbs-setup.sh" --remote-audit; then ok; else bad "pbs first run failed: $(cat "$work/err")"; fi
cp "$work/out" "$work/pbs-1"
expect_line "$work/pbs-1" "user glance@pbs: created" "pbs run 1"
expect_line "$work/pbs-1" "token glance@pbs!backwatch: created" "pbs run 1"
expect_line "$work/pbs-1" "vault kv put secret/backwatch/pbs token='glance@pbs!backwatch:00000000-0000-4000-8000-000000000001'" "pbs run 1 prints the Vault value"
expect_line "$work/pbs-1" "Authorization: PBSAPIToken=glance@pbs!backwatch:00000000-0000-4000-8000-000000000001" "pbs run 1 prints the header"
if run "$st" "$deploy/pbs-setup.sh" --remote-audit; then ok; else bad "pbs second run failed: $(cat "$work/err")"; fi
cp "$work/out" "$work/pbs-2"
expect_line "$work/pbs-2" "user glance@pbs: exists" "pbs run 2"
expect_line "$work/pbs-2" "token glance@pbs!backwatch: exists" "pbs run 2"
expect_no_line "$work/pbs-2" "00000000-0000-4000-8000" "pbs run 2 has no secret to print"
expect_count "$st/calls.log" "user create" 1 "pbs: user created once"
expect_count "$st/calls.log" "user generate-token" 1 "pbs: token generated once"
expect_file "$st/tokens" "glance@pbs!backwatch" "pbs tokens"
# The token needs its own ACL (privilege separation), as does the user; no duplicates.
expect_file "$st/acls" "/ glance@pbs Audit
/ glance@pbs!backwatch Audit
/remote glance@pbs RemoteAudit
/remote glance@pbs!backwatch RemoteAudit" "pbs acls after two runs"

# --- PBS: per-datastore grants, another user and token name ---
st="$work/pbs-ds"
if run "$st" "$deploy/pbs-setup.sh" --user monitor@pbs --token widget --datastore store1 --datastore offsite --tape-audit; then ok; else bad "pbs datastore run failed: $(cat "$work/err")"; fi
expect_file "$st/acls" "/datastore/store1 monitor@pbs DatastoreAudit
/datastore/store1 monitor@pbs!widget DatastoreAudit
/datastore/offsite monitor@pbs DatastoreAudit
/datastore/offsite monitor@pbs!widget DatastoreAudit
/system monitor@pbs Audit
/system monitor@pbs!widget Audit
/tape monitor@pbs TapeAudit
/tape monitor@pbs!widget TapeAudit" "pbs per-datastore acls"
expect_line "$work/out" "PBSAPIToken=monitor@pbs!widget:" "pbs custom names"

# --- PBS: an existing user (e.g. made by hand) gets a token without a second create ---
st="$work/pbs-existing"
mkdir -p "$st" && echo "glance@pbs" >"$st/users"
if run "$st" "$deploy/pbs-setup.sh"; then ok; else bad "pbs existing-user run failed: $(cat "$work/err")"; fi
expect_count "$st/calls.log" "user create" 0 "pbs: existing user not created again"
expect_line "$work/out" "token glance@pbs!backwatch: created" "pbs existing user"

# --- bad arguments are refused before anything is called ---
st="$work/pbs-bad"
for args in "--user nouser" "--token bad!name" "--datastore ../x" "--frobnicate"; do
	# shellcheck disable=SC2086 # split the argument list on purpose
	if run "$st" "$deploy/pbs-setup.sh" $args; then bad "pbs accepted $args"; else ok; fi
	if [ -e "$st/calls.log" ]; then bad "pbs called the tool for bad arguments $args"; else ok; fi
	# shellcheck disable=SC2086
	if run "$st" "$deploy/pve-setup.sh" $args; then bad "pve accepted $args"; else ok; fi
	if [ -e "$st/calls.log" ]; then bad "pve called the tool for bad arguments $args"; else ok; fi
done

# --- PVE: PVEAuditor for user and token, twice ---
st="$work/pve"
if run "$st" "$deploy/pve-setup.sh"; then ok; else bad "pve first run failed: $(cat "$work/err")"; fi
cp "$work/out" "$work/pve-1"
expect_line "$work/pve-1" "user glance@pve: created" "pve run 1"
expect_line "$work/pve-1" "token glance@pve!backwatch: created" "pve run 1"
expect_line "$work/pve-1" "vault kv put secret/backwatch/pve token='glance@pve!backwatch=11111111-2222-4333-8444-555555555551'" "pve run 1 prints the Vault value"
expect_line "$work/pve-1" "Authorization: PVEAPIToken=glance@pve!backwatch=11111111-2222-4333-8444-555555555551" "pve run 1 prints the header"
if run "$st" "$deploy/pve-setup.sh"; then ok; else bad "pve second run failed: $(cat "$work/err")"; fi
expect_line "$work/out" "token glance@pve!backwatch: exists" "pve run 2"
expect_no_line "$work/out" "11111111-2222" "pve run 2 has no secret to print"
expect_count "$st/calls.log" "user add" 1 "pve: user created once"
expect_count "$st/calls.log" "user token add" 1 "pve: token created once"
expect_line "$st/calls.log" "--privsep 1" "pve: privilege-separated token"
expect_file "$st/acls" "/ glance@pve PVEAuditor
/ glance@pve!backwatch PVEAuditor" "pve acls after two runs"

# --- PVE: the storage caveat is opt-in, loud, and limited to that storage ---
st="$work/pve-storage"
if run "$st" "$deploy/pve-setup.sh" --pbs-storage pbs-store1; then ok; else bad "pve storage run failed: $(cat "$work/err")"; fi
expect_line "$work/err" "WARNING: granting PVEDatastoreAdmin on /storage/pbs-store1" "pve storage warning"
expect_file "$st/acls" "/ glance@pve PVEAuditor
/ glance@pve!backwatch PVEAuditor
/storage/pbs-store1 glance@pve PVEDatastoreAdmin
/storage/pbs-store1 glance@pve!backwatch PVEDatastoreAdmin" "pve storage acls"

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
