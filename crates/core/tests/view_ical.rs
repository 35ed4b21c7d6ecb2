//! The iCal export: the next 30 days of occurrences as events (summary, description with
//! schedule, estimate and overlaps, category, stable job identity), and the document.

mod health_support;

use backwatch_core::health::Assessment;
use backwatch_core::ical::Event;
use backwatch_core::model::{Coverage, Epoch, JobKind, PbsLocation, ScheduleSpec};
use backwatch_core::view::ical_export;
use health_support::*;

/// Monday 2024-01-01 12:00 UTC.
const NOW: Epoch = MON + 12 * H;

fn lab() -> Assessment {
    let c = config(
        "[services.a]\nguests = [\"ct/101\"]\n\n[[schedules]]\nlabel = \"USB copy\"\nkind = \"sync\"\ncalendar = \"sat 10:00\"\n",
    );
    let mut s1 = set(&pbs(), ct(101), vec![ok(MON + 3 * H + 10 * 60)]);
    s1.location = Some(PbsLocation {
        datastore: "store1".into(),
        namespace: String::new(),
    });
    let gc = job(
        &pbs(),
        "gc:store1",
        JobKind::GarbageCollection,
        Some(ScheduleSpec::Calendar("03:00".into())),
        Coverage::Datastore {
            store: "store1".into(),
            namespace: None,
        },
    );
    let s = states(
        &c,
        vec![
            collected(&pbs(), NOW, Ok(data(vec![s1], vec![gc]))),
            collected(
                &pve(),
                NOW,
                Ok(data(
                    vec![],
                    vec![pve_job("nightly", "03:10", vec![ct(101)])],
                )),
            ),
        ],
    );
    assess(&c, &s, NOW)
}

#[test]
fn events_of_the_next_30_days() {
    let a = lab();
    let (from, to) = ical_export::window(NOW);
    assert_eq!((from, to), (NOW, NOW + 30 * D));
    let cal = backwatch_core::calendar::expand(&a, from, to);
    let events = ical_export::events(&a, &cal, NOW);
    // Daily GC and backup for 30 days (Tue 2 … Wed 31 Jan), Saturdays' USB copy (4).
    let count = |cat: &str| events.iter().filter(|e| e.category == cat).count();
    assert_eq!((count("gc"), count("backup"), count("sync")), (30, 30, 4));
    assert!(events.iter().all(|e| e.start >= NOW));
    let gc: &Event = &events[0];
    assert_eq!(gc.job, "pbs/pbs/gc:store1");
    assert_eq!(gc.start, MON + D + 3 * H);
    assert_eq!(gc.summary, "Garbage collection: gc:store1 (PBS pbs)");
    assert_eq!(
        gc.description,
        "Schedule: daily at 03:00 (UTC)\n\
         Estimated duration: 30 min (default for the kind)\n\
         Overlap: GC “gc:store1” during backup “nightly”"
    );
    let backup = &events[1];
    assert_eq!(backup.job, "pve/pve/nightly");
    assert_eq!(backup.summary, "Backup: nightly (PVE pve)");
    let usb = events.iter().find(|e| e.category == "sync").unwrap();
    assert_eq!(usb.job, "config/config#0");
    assert_eq!(usb.summary, "Sync: USB copy (config)");
}

#[test]
fn the_document() {
    let a = lab();
    let text = ical_export::export(&a, "", NOW);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(text.contains("X-WR-CALNAME:backwatch: backup schedules\r\n"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 64);
    assert!(text.contains("UID:pbs-pbs-gc-store1-1704164400@backwatch\r\n"));
    assert!(text.contains("DTSTART:20240102T030000Z\r\n"));
    assert!(text.contains("CATEGORIES:gc\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let named = ical_export::export(&a, "Homelab", NOW);
    assert!(named.contains("X-WR-CALNAME:Homelab\r\n"));
    assert_eq!(ical_export::FILE_NAME, "backups.ics");
}
