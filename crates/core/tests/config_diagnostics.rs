//! Exact diagnostics, with positions and key paths: they are interface.
//!
//! Each case is a small, complete `backwatch.toml` and every diagnostic it must produce,
//! in file order. Cases without a source would all also warn "no source is configured";
//! that one warning is left out here and tested on its own in `config_example.rs`.

use backwatch_core::config::{self, ConfigError};

fn diagnostics(text: &str) -> Vec<String> {
    let loaded = config::parse(text).unwrap_or_else(|e| panic!("fatal: {e}"));
    loaded
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|d| !d.starts_with("warning: sources: no source is configured"))
        .collect()
}

fn check(cases: &[(&str, &str, &[&str])]) {
    for (name, text, want) in cases {
        assert_eq!(diagnostics(text), *want, "case `{name}`");
    }
}

const PBS: &str = "[[sources.pbs]]\nname = \"pbs-main\"\nbase = \"/api/pbs\"\n";

#[test]
fn unknown_keys_are_reported_with_suggestions() {
    check(&[
        (
            "typo in a service list",
            "[services.immich]\ngests = [\"ct/101\"]\n",
            &[
                "warning: services.immich: service `immich` lists no `guests`, `hosts`, `databases` or `plans` and no `[[schedules]]` entry names it; nothing is monitored for it at line 1, column 1",
                "error: services.immich.gests: unknown key `gests` (did you mean `guests`?) at line 2, column 1",
            ],
        ),
        (
            "top-level typo",
            "titel = \"x\"\n",
            &["error: titel: unknown key `titel` (did you mean `title`?) at line 1, column 1"],
        ),
        (
            "defaults key at the top level",
            "refresh = \"5m\"\n",
            &[
                "error: refresh: unknown key `refresh` (did you mean `defaults.refresh`?) at line 1, column 1",
            ],
        ),
        (
            "no close candidate lists the keys",
            "[defaults]\ncolour = \"red\"\n",
            &[
                "error: defaults.colour: unknown key `colour` (expected one of `refresh`, `stale_after`, `grace`, `grace_max`, `verify_max_age`, `timezone`) at line 2, column 1",
            ],
        ),
        (
            "unknown source kind",
            "[[sources.pvs]]\nname = \"x\"\nbase = \"/x\"\n",
            &["error: sources.pvs: unknown key `pvs` (did you mean `pbs`?) at line 1, column 11"],
        ),
        (
            "typo inside an item table",
            "[[sources.pbs]]\nname = \"pbs-main\"\nbase = \"/api/pbs\"\n[services.a]\nguests = [{ guest = \"vm/1\", datastroe = \"s\" }]\n",
            &[
                "error: services.a.guests[0].datastroe: unknown key `datastroe` (did you mean `datastore`?) at line 5, column 29",
            ],
        ),
        (
            "case and dashes are forgiven in suggestions",
            "[defaults]\nGrace-Max = \"1h\"\n",
            &[
                "error: defaults.Grace-Max: unknown key `Grace-Max` (did you mean `grace_max`?) at line 2, column 1",
            ],
        ),
        (
            "quoted keys are quoted in the path",
            "[services.\"Home Assistant\"]\nguests = [\"vm/120\"]\n\"wrong key\" = 1\n",
            &[
                "error: services.\"Home Assistant\".\"wrong key\": unknown key `wrong key` (expected one of `description`, `link`, `grace`, `retired`, `paused_until`, `guests`, `hosts`, `databases`, `plans`) at line 3, column 1",
            ],
        ),
    ]);
}

#[test]
fn guest_forms() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "lxc is called ct",
            "[services.immich]\nguests = [\"ct/101\", \"lxc/101\"]\n",
            &[
                "error: services.immich.guests[1]: expected \"ct/<id>\" or \"vm/<id>\", found \"lxc/101\" (did you mean \"ct/101\"?) at line 2, column 21",
            ],
        ),
        (
            "qemu is called vm",
            "[services.a]\nguests = [\"qemu/200\"]\n",
            &[
                "error: services.a.guests[0]: expected \"ct/<id>\" or \"vm/<id>\", found \"qemu/200\" (did you mean \"vm/200\"?) at line 2, column 11",
            ],
        ),
        (
            "host groups belong elsewhere",
            "[services.a]\nguests = [\"host/nas\"]\n",
            &[
                "error: services.a.guests[0]: expected \"ct/<id>\" or \"vm/<id>\", found \"host/nas\" (host groups belong in `hosts`) at line 2, column 11",
            ],
        ),
        (
            "id must be a number",
            "[services.a]\nguests = [\"vm/abc\", \"vm/\", \"vm/1234567890\", \"101\"]\n",
            &[
                "error: services.a.guests[0]: expected \"ct/<id>\" or \"vm/<id>\", found \"vm/abc\" at line 2, column 11",
                "error: services.a.guests[1]: expected \"ct/<id>\" or \"vm/<id>\", found \"vm/\" at line 2, column 21",
                "error: services.a.guests[2]: expected \"ct/<id>\" or \"vm/<id>\", found \"vm/1234567890\" at line 2, column 28",
                "error: services.a.guests[3]: expected \"ct/<id>\" or \"vm/<id>\", found \"101\" at line 2, column 45",
            ],
        ),
        (
            "a number is not a guest",
            "[services.a]\nguests = [101]\n",
            &[
                "error: services.a.guests[0]: expected a string like \"ct/101\" or a table, found integer 101 at line 2, column 11",
            ],
        ),
        (
            "guests must be an array",
            "[services.a]\nguests = \"ct/101\"\nhosts = [\"nas\"]\n",
            &["error: services.a.guests: expected an array, found \"ct/101\" at line 2, column 10"],
        ),
    ];
    check(cases);

    let with_sources: &[(&str, &str, &[&str])] = &[
        (
            "unknown source with a suggestion",
            "[services.a]\nguests = [\"vm/200@pbs-mian\"]\n",
            &[
                "error: services.a.guests[0]: unknown source `pbs-mian` (did you mean `pbs-main`?) at line 5, column 11",
            ],
        ),
        (
            "source of the wrong kind",
            "[[sources.databasement]]\nname = \"db\"\nbase = \"/api/db\"\ntimezone = \"UTC\"\n[services.a]\nguests = [\"vm/200@db\"]\n",
            &[
                "error: services.a.guests[0]: `db` is a Databasement source; guests are read from PBS or PVE sources at line 9, column 11",
            ],
        ),
        (
            "bad datastore and namespace in the compact form",
            "[services.a]\nguests = [\"vm/1@pbs-main/st ore\", \"vm/2@pbs-main/s1/a//b\"]\n",
            &[
                "error: services.a.guests[0]: expected a datastore name of letters, digits, \"-\", \"_\" and \".\", found \"st ore\" at line 5, column 11",
                "error: services.a.guests[1]: expected a namespace path like \"lab\" or \"lab/old\" (at most 7 levels, \"\" for the root), found \"a//b\" at line 5, column 35",
            ],
        ),
        (
            "table form: pbs and pve exclude each other",
            "[[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\n[services.a]\nguests = [{ guest = \"vm/1\", pbs = \"pbs-main\", pve = \"pve\" }]\n",
            &[
                "error: services.a.guests[0].pve: `pbs` and `pve` cannot be combined at line 8, column 53",
            ],
        ),
        (
            "table form: a PVE source has no datastores",
            "[[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\n[services.a]\nguests = [{ guest = \"vm/1\", pve = \"pve\", datastore = \"s1\" }]\n",
            &[
                "error: services.a.guests[0].datastore: `datastore` applies only to PBS sources; `pve` is a PVE source at line 8, column 54",
            ],
        ),
        (
            "table form: the right name under the wrong key",
            "[[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\n[services.a]\nguests = [{ guest = \"vm/1\", pbs = \"pve\" }]\n",
            &[
                "error: services.a.guests[0].pbs: `pve` is a PVE source; write `pve = \"pve\"` at line 8, column 35",
            ],
        ),
        (
            "table form: qualifiers belong in keys",
            "[services.a]\nguests = [{ guest = \"vm/1@pbs-main\" }]\n",
            &[
                "error: services.a.guests[0].guest: \"vm/1@pbs-main\" has a qualifier; in the table form use the keys `pbs` or `pve`, `datastore` and `namespace` at line 5, column 21",
            ],
        ),
        (
            "table form: missing subject",
            "[services.a]\nguests = [{ pbs = \"pbs-main\" }]\n",
            &["error: services.a.guests[0]: missing required key `guest` at line 5, column 11"],
        ),
        (
            "hosts are read from PBS only",
            "[[sources.pve]]\nname = \"pve\"\nbase = \"/api/pve\"\n[services.a]\nhosts = [\"nas@pve\"]\n",
            &[
                "error: services.a.hosts[0]: `pve` is a PVE source; host groups are read from PBS sources at line 8, column 10",
            ],
        ),
        (
            "database forms",
            "[services.a]\ndatabases = [\"immich\", \"srv/\", { server = \"srv\" }, \"srv/db@nope\"]\n",
            &[
                "error: services.a.databases[0]: expected \"<server>/<database>\", found \"immich\" at line 5, column 14",
                "error: services.a.databases[1]: expected \"<server>/<database>\", found \"srv/\" at line 5, column 24",
                "error: services.a.databases[2]: missing required key `database` at line 5, column 32",
                "error: services.a.databases[3]: unknown source `nope` at line 5, column 52",
            ],
        ),
        (
            "plan forms",
            "[services.a]\nplans = [\"my plan\", { plan = \"p\", backrest = \"pbs-main\" }]\n",
            &[
                "error: services.a.plans[0]: expected a plan id like \"photos\", found \"my plan\" at line 5, column 10",
                "error: services.a.plans[1].backrest: `pbs-main` is a PBS source; plans are read from Backrest sources at line 5, column 46",
            ],
        ),
    ];
    for (name, text, want) in with_sources {
        let text = format!("{PBS}{text}");
        assert_eq!(diagnostics(&text), *want, "case `{name}`");
    }
}

#[test]
fn duplicates_and_overlaps() {
    check(&[
        (
            "duplicate source name across kinds",
            "[[sources.pbs]]\nname = \"main\"\nbase = \"/api/pbs\"\n\n[[sources.pve]]\nname = \"main\"\nbase = \"/api/pve\"\n",
            &[
                "error: sources.pve[0].name: duplicate source name `main` (first defined at line 2, column 8) at line 6, column 8",
            ],
        ),
        (
            "same base twice",
            "[[sources.pbs]]\nname = \"a\"\nbase = \"/api/pbs\"\n[[sources.pbs]]\nname = \"b\"\nbase = \"/api/pbs/\"\n",
            &[
                "warning: sources.pbs[1].base: same `base` as source `a` (line 3, column 8); both read the same API at line 6, column 8",
            ],
        ),
        (
            "service names differing only in case",
            "[services.immich]\nguests = [\"ct/1\"]\n[services.Immich]\nguests = [\"ct/2\"]\n",
            &[
                "error: services.Immich: service `Immich` differs from `immich` (line 1, column 11) only in case; names must be unique at line 3, column 11",
            ],
        ),
        (
            "a guest in two services",
            "[services.a]\nguests = [\"ct/101\"]\n[services.b]\nguests = [\"ct/101\", \"ct/102\"]\n",
            &[
                "error: services.b.guests[0]: `ct/101` is already mapped to service `a` (see line 2, column 11); a backup belongs to one service at line 4, column 11",
            ],
        ),
        (
            "listed twice in one service",
            "[services.a]\nguests = [\"ct/101\", \"ct/101\"]\n",
            &[
                "warning: services.a.guests[1]: `ct/101` is listed twice in this service (see line 2, column 11) at line 2, column 21",
            ],
        ),
        (
            "ignored and mapped",
            "[services.a]\nhosts = [\"nas\"]\n[ignore]\nhosts = [\"host/nas\"]\n",
            &[
                "warning: ignore.hosts[0]: `host/nas` is both ignored and mapped to service `a` (see line 2, column 10); the service wins at line 4, column 10",
            ],
        ),
    ]);
}

#[test]
fn qualified_guests_in_different_places_do_not_overlap() {
    let text = "[[sources.pbs]]\nname = \"pbs-a\"\nbase = \"/a\"\n[[sources.pbs]]\nname = \"pbs-b\"\nbase = \"/b\"\n\
                [services.one]\nguests = [\"vm/100@pbs-a\", \"vm/101@pbs-a/s1\"]\n\
                [services.two]\nguests = [\"vm/100@pbs-b\", \"vm/101@pbs-a/s2\"]\n\
                [services.three]\nguests = [\"vm/101@pbs-a/s1/lab\"]\n";
    assert_eq!(
        diagnostics(text),
        [
            "error: services.three.guests[0]: `vm/101@pbs-a datastore s1 namespace \"lab\"` is already mapped to service `one` (see line 8, column 27); a backup belongs to one service at line 12, column 11"
        ]
    );
}

#[test]
fn values_and_defaults() {
    check(&[
        (
            "refresh below the minimum is raised",
            "[defaults]\nrefresh = \"30s\"\n",
            &[
                "warning: defaults.refresh: raised to the minimum of 60s (PBS token authentication is expensive) at line 2, column 11",
            ],
        ),
        (
            "durations are strings",
            "[defaults]\nrefresh = 300\ngrace_max = \"3 h\"\nverify_max_age = \"30days\"\n",
            &[
                "error: defaults.refresh: expected a duration like \"90s\", \"15m\", \"3h\" or \"2d\", found integer 300 (did you mean \"300s\"?) at line 2, column 11",
                "error: defaults.grace_max: unexpected \" \" in duration \"3 h\"; expected a duration like \"90s\", \"15m\", \"3h\" or \"2d\" at line 3, column 13",
                "error: defaults.verify_max_age: unknown unit \"days\" in duration \"30days\"; expected s, m, h, d or w at line 4, column 18",
            ],
        ),
        (
            "grace percentages",
            "[defaults]\ngrace = \"150%\"\n[services.a]\nguests = [\"ct/1\"]\ngrace = \"ten\"\n",
            &[
                "error: defaults.grace: percentage \"150%\" is out of range; expected 0% to 100% at line 2, column 9",
                "error: services.a.grace: unexpected \"t\" in duration \"ten\"; expected a duration like \"30m\" or a percentage like \"25%\" at line 5, column 9",
            ],
        ),
        (
            "a percentage where only a duration fits",
            "[defaults]\ngrace_max = \"50%\"\n",
            &[
                "error: defaults.grace_max: a percentage is not allowed here; expected a duration like \"90s\", \"15m\", \"3h\" or \"2d\", found \"50%\" at line 2, column 13",
            ],
        ),
        (
            "stale_after shorter than refresh",
            "[defaults]\nrefresh = \"10m\"\nstale_after = \"5m\"\n",
            &[
                "error: defaults.stale_after: must be at least `refresh`, or every source would turn stale between refreshes; using three times `refresh` at line 3, column 15",
            ],
        ),
        (
            "display time zone",
            "[defaults]\ntimezone = \"UTC+2\"\n",
            &[
                "error: defaults.timezone: expected \"browser\" or an IANA time zone like \"Europe/Berlin\" or \"UTC\", found \"UTC+2\" (a fixed offset is not a zone; for UTC+2 all year write \"Etc/GMT-2\", note the sign) at line 2, column 12",
            ],
        ),
        (
            "service values",
            "[services.a]\nguests = [\"ct/1\"]\nretired = \"yes\"\npaused_until = \"2026-13-01\"\nlink = \"javascript:alert(1)\"\n",
            &[
                "error: services.a.retired: expected `true` or `false`, found \"yes\" at line 3, column 11",
                "error: services.a.paused_until: expected a date like 2026-09-01, found \"2026-13-01\" at line 4, column 16",
                "error: services.a.link: expected an \"http://\" or \"https://\" URL or a path starting with \"/\", found \"javascript:alert(1)\" at line 5, column 8",
            ],
        ),
        (
            "paused_until takes a date, not a date-time",
            "[services.a]\nguests = [\"ct/1\"]\npaused_until = 2026-09-01T10:00:00\n",
            &[
                "error: services.a.paused_until: expected a date like 2026-09-01, found datetime 2026-09-01T10:00:00 at line 3, column 16",
            ],
        ),
    ]);
}

#[test]
fn sources() {
    check(&[
        (
            "missing name and base",
            "[[sources.pbs]]\ntimezone = \"UTC\"\n",
            &["error: sources.pbs[0]: missing required key `name` at line 1, column 1"],
        ),
        (
            "a base must be a same-origin path",
            "[[sources.pbs]]\nname = \"p\"\nbase = \"https://pbs.lan:8007\"\n",
            &[
                "error: sources.pbs[0].base: expected a same-origin path like \"/api/pbs\" (the widget reads every API through its own proxy; see docs/config.md), found \"https://pbs.lan:8007\" at line 3, column 8",
            ],
        ),
        (
            "a bad datastore voids the list",
            "[[sources.pbs]]\nname = \"p\"\nbase = \"/p\"\ndatastores = [\"store1\", \"store 2\"]\nnamespaces = []\nmax_depth = 9\n",
            &[
                "error: sources.pbs[0].datastores[1]: expected a datastore name of letters, digits, \"-\", \"_\" and \".\", found \"store 2\"; reading all datastores instead at line 4, column 25",
                "error: sources.pbs[0].namespaces: empty list; reading all namespaces instead at line 5, column 14",
                "error: sources.pbs[0].max_depth: expected an integer from 0 to 7, found integer 9 at line 6, column 13",
            ],
        ),
        (
            "snapshot_refresh has a minimum",
            "[[sources.pbs]]\nname = \"p\"\nbase = \"/p\"\nsnapshot_refresh = \"10s\"\n",
            &[
                "error: sources.pbs[0].snapshot_refresh: must be at least 60s; using the default 30m at line 4, column 20",
            ],
        ),
        (
            "a lone [sources.pbs] table is accepted",
            "[sources.pbs]\nname = \"p\"\nbase = \"/p\"\nzone = \"UTC\"\n",
            &[
                "error: sources.pbs.zone: unknown key `zone` (did you mean `timezone`?) at line 4, column 1",
            ],
        ),
        (
            "pbs_storages items",
            "[[sources.pve]]\nname = \"p\"\nbase = \"/p\"\npbs_storages = [{ storage = \"s\" }, { storage = \"s\", node = \"n\" }, { storage = \"s\", node = \"n\" }]\n",
            &[
                "error: sources.pve[0].pbs_storages[0]: missing required key `node` at line 4, column 17",
                "warning: sources.pve[0].pbs_storages[2]: listed twice at line 4, column 67",
            ],
        ),
        (
            "Databasement needs a time zone",
            "[[sources.databasement]]\nname = \"db\"\nbase = \"/api/db\"\nhistory = \"5m\"\norganization = \"not a ulid\"\n",
            &[
                "warning: sources.databasement[0]: no `timezone`: Databasement does not report the zone its schedules run in (APP_DISPLAY_TIMEZONE); using the browser's zone at line 1, column 1",
                "error: sources.databasement[0].history: must be at least 1h; using the default 30d at line 4, column 11",
                "error: sources.databasement[0].organization: expected an organization id (a ULID like \"01JZ3V8Q4B6X2N9M5K7T1R0CWD\"), found \"not a ulid\" at line 5, column 16",
            ],
        ),
        (
            "Backrest without cron needs no time zone",
            "[[sources.backrest]]\nname = \"br\"\nbase = \"/br\"\nplans = { a = { every = \"1d\" }, b = { cron = \"0 1 * * *\", clock = \"utc\" } }\n",
            &[],
        ),
        (
            "Backrest cron in local time needs a time zone",
            "[[sources.backrest]]\nname = \"br\"\nbase = \"/br\"\nplans = { a = { cron = \"0 1 * * *\" } }\n",
            &[
                "warning: sources.backrest[0]: no `timezone`: Backrest does not report the zone its cron schedules run in; using the browser's zone at line 1, column 1",
            ],
        ),
        (
            "Backrest schedules",
            "[[sources.backrest]]\nname = \"br\"\nbase = \"/br\"\ntimezone = \"UTC\"\n[sources.backrest.plans]\n\
             a = { cron = \"0 2 * * *\", every = \"6h\" }\nb = { every = \"90m\" }\nc = { clock = \"lastrun\", every = \"1h\" }\n\
             d = {}\ne = { disabled = false }\n\"bad id\" = { disabled = true }\nf = \"0 2 * * *\"\ng = { cron = \" \" }\n",
            &[
                "error: sources.backrest[0].plans.a.every: `cron` and `every` cannot be combined; a schedule has exactly one of `cron`, `every` or `disabled = true` at line 6, column 27",
                "error: sources.backrest[0].plans.b.every: expected whole hours or days like \"6h\" or \"1d\", found \"90m\" at line 7, column 15",
                "error: sources.backrest[0].plans.c.clock: expected \"local\", \"utc\" or \"last-run\", found \"lastrun\" (did you mean \"last-run\"?) at line 8, column 15",
                "error: sources.backrest[0].plans.d: missing schedule: expected one of `cron`, `every` or `disabled = true` at line 9, column 5",
                "error: sources.backrest[0].plans.e: missing schedule: expected one of `cron`, `every` or `disabled = true` at line 10, column 5",
                "error: sources.backrest[0].plans.\"bad id\": expected a plan id of letters, digits, \"-\", \"_\" and \".\", found \"bad id\" at line 11, column 1",
                "error: sources.backrest[0].plans.f: expected a schedule like { cron = \"0 2 * * *\" }, { every = \"6h\" } or { disabled = true }, found \"0 2 * * *\" at line 12, column 5",
                "error: sources.backrest[0].plans.g.cron: expected a cron expression like \"0 2 * * *\", found \" \" at line 13, column 14",
            ],
        ),
    ]);
}

#[test]
fn extra_schedules() {
    check(&[
        (
            "kind, schedule and service problems",
            "[services.immich]\nguests = [\"ct/1\"]\n\n[[schedules]]\nlabel = \"x\"\nkind = \"bakup\"\ncron = \"\"\nservice = \"imich\"\n",
            &[
                "error: schedules[0].kind: unknown kind \"bakup\" (did you mean \"backup\"?) at line 6, column 8",
                "error: schedules[0].cron: expected a cron expression like \"0 2 * * *\", found \"\" at line 7, column 8",
                "error: schedules[0].service: unknown service `imich` (did you mean `immich`?); the schedule is shown on its own at line 8, column 11",
            ],
        ),
        (
            "calendar and cron together",
            "[[schedules]]\nlabel = \"y\"\ncalendar = \"daily\"\ncron = \"0 0 * * *\"\n",
            &[
                "error: schedules[0].cron: `calendar` and `cron` cannot be combined; give exactly one at line 4, column 1",
            ],
        ),
        (
            "no schedule, no label",
            "[[schedules]]\nkind = \"junk\"\n",
            &[
                "error: schedules[0]: missing required key `label` at line 1, column 1",
                "error: schedules[0]: missing schedule: expected `calendar` (a Proxmox calendar event) or `cron` at line 1, column 1",
                "error: schedules[0].kind: unknown kind \"junk\"; expected one of backup, dump, prune, gc, verify, sync, check, cleanup, other at line 2, column 8",
            ],
        ),
        (
            "schedule syntax is checked by the schedule engine",
            "[[schedules]]\nlabel = \"gc\"\ncalendar = \"sat 3:00 CEST\"\n\n[[schedules]]\nlabel = \"dump\"\ncron = \"0 2 * *\"\n",
            &[
                "error: schedules[0].calendar: expected end of input, found whitespace at column 9 of `sat 3:00 CEST` at line 3, column 12",
                "error: schedules[1].cron: expected 5 fields, found 4 at line 7, column 8",
            ],
        ),
        (
            "a service named only by a schedule is not empty",
            "[services.offsite]\ndescription = \"USB disk\"\n[[schedules]]\nlabel = \"copy\"\ncalendar = \"monthly\"\nservice = \"offsite\"\n",
            &[],
        ),
    ]);
}

#[test]
fn one_bad_entry_does_not_take_the_others_down() {
    let text = "\
[[sources.pbs]]
name = \"good\"
base = \"/api/pbs\"

[[sources.pbs]]
name = \"bad one\"
base = \"/api/pbs2\"

[[sources.pve]]
name = \"pve\"
base = \"/api/pve\"

[services.a]
guests = [\"ct/101\", \"lxc/102\", \"vm/103@good\"]
grace = \"soon\"

[services.b]
hosts = [\"nas\"]

[[schedules]]
label = \"broken\"

[[schedules]]
label = \"fine\"
calendar = \"sun 03:00\"
";
    let loaded = config::parse(text).unwrap();
    let names: Vec<&str> = loaded
        .config
        .sources
        .ids()
        .iter()
        .map(|id| id.name.as_str())
        .collect();
    assert_eq!(names, ["good", "pve"]);
    let a = loaded.config.service("a").unwrap();
    let items: Vec<String> = a
        .items
        .iter()
        .map(|i| i.target.subject.to_string())
        .collect();
    assert_eq!(items, ["ct/101", "vm/103"]);
    assert_eq!(a.grace, None, "a bad grace falls back to the default");
    assert!(loaded.config.service("b").is_some());
    let labels: Vec<&str> = loaded
        .config
        .schedules
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(labels, ["fine"]);
    assert!(loaded.has_errors());
    assert_eq!(
        diagnostics(text),
        [
            "error: sources.pbs[1].name: expected a name of letters, digits, \"-\", \"_\" and \".\" like \"pbs-main\", found \"bad one\" at line 6, column 8",
            "error: services.a.guests[1]: expected \"ct/<id>\" or \"vm/<id>\", found \"lxc/102\" (did you mean \"ct/102\"?) at line 14, column 21",
            "error: services.a.grace: unexpected \"s\" in duration \"soon\"; expected a duration like \"30m\" or a percentage like \"25%\" at line 15, column 9",
            "error: schedules[0]: missing schedule: expected `calendar` (a Proxmox calendar event) or `cron` at line 20, column 1",
        ]
    );
}

#[test]
fn only_invalid_toml_is_fatal_and_it_has_a_position() {
    let cases: &[(&str, &str, ConfigError)] = &[
        (
            "unclosed string",
            "title = \"x\n",
            ConfigError {
                line: 1,
                column: 11,
                message: "invalid basic string, expected `\"`".to_owned(),
            },
        ),
        (
            "duplicate table",
            "[services.a]\nguests = []\n\n[services.a]\nhosts = []\n",
            ConfigError {
                line: 4,
                column: 11,
                message: "duplicate key `a` (a key or table may be defined only once)".to_owned(),
            },
        ),
        (
            "bare string value",
            "[defaults]\ngrace = 25%\n",
            ConfigError {
                line: 2,
                column: 9,
                message: "string values must be quoted, expected literal string".to_owned(),
            },
        ),
    ];
    for (name, text, want) in cases {
        let got = config::parse(text).expect_err(name);
        assert_eq!(&got, want, "case `{name}`");
    }
    let e = config::parse("a = \"x\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid TOML: invalid basic string, expected `\"` at line 1, column 7"
    );
}
