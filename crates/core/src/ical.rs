//! iCalendar (RFC 5545) export of upcoming schedule occurrences, for a phone calendar or
//! Homepage's iCal calendar widget.
//!
//! Times are written in UTC (`…Z`), so no VTIMEZONE is needed and every client shows them
//! in its own zone. UIDs are stable (job + start), so re-importing updates instead of
//! duplicating. Text is escaped and lines are folded at 75 octets on character boundaries.

use crate::display::civil_from_days;
use crate::model::Epoch;

/// One event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable identity of the recurring job, e.g. `pve/pve-main/backup-4f2a` (combined with
    /// the start time into the UID).
    pub job: String,
    pub start: Epoch,
    /// End (start + estimated duration); at least one minute after start.
    pub end: Epoch,
    /// `Backup: nightly to PBS (PVE pve-main)`.
    pub summary: String,
    /// Free text: schedule, description, covered services.
    pub description: String,
    /// Kind key (`backup`, `gc`, …), as CATEGORIES.
    pub category: String,
}

/// `19700101T000000Z`.
fn stamp(t: Epoch) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}

/// Escape TEXT per RFC 5545 §3.3.11.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Append `line` folded to 75 octets per physical line, with CRLF endings.
fn push_folded(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

/// A UID-safe rendering of the job identity.
fn uid_part(job: &str) -> String {
    job.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The calendar as text (`text/calendar`), generated at `now` (DTSTAMP).
pub fn calendar(name: &str, events: &[Event], now: Epoch) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//backwatch//backup schedules//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_folded(&mut out, line);
    }
    push_folded(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    let dtstamp = stamp(now);
    for e in events {
        let end = e.end.max(e.start.saturating_add(60));
        let mut lines = Vec::with_capacity(10);
        lines.push("BEGIN:VEVENT".to_owned());
        lines.push(format!("UID:{}-{}@backwatch", uid_part(&e.job), e.start));
        lines.push(format!("DTSTAMP:{dtstamp}"));
        lines.push(format!("DTSTART:{}", stamp(e.start)));
        lines.push(format!("DTEND:{}", stamp(end)));
        lines.push(format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.category.is_empty() {
            lines.push(format!("CATEGORIES:{}", escape(&e.category)));
        }
        lines.push("TRANSP:TRANSPARENT".to_owned());
        lines.push("END:VEVENT".to_owned());
        for l in &lines {
            push_folded(&mut out, l);
        }
    }
    push_folded(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(summary: &str) -> Event {
        Event {
            job: "pve/pve-main/backup-4f2a9c1e".into(),
            start: 1_779_069_600,
            end: 1_779_069_600 + 1_800,
            summary: summary.into(),
            description: "daily at 02:00\nnightly to PBS".into(),
            category: "backup".into(),
        }
    }

    #[test]
    fn a_calendar_with_one_event() {
        let text = calendar(
            "Homelab backups",
            &[event("Backup: nightly, to PBS; ok")],
            1_779_019_200,
        );
        let want = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//backwatch//backup schedules//EN\r\n\
CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Homelab backups\r\nBEGIN:VEVENT\r\n\
UID:pve-pve-main-backup-4f2a9c1e-1779069600@backwatch\r\nDTSTAMP:20260517T120000Z\r\n\
DTSTART:20260518T020000Z\r\nDTEND:20260518T023000Z\r\n\
SUMMARY:Backup: nightly\\, to PBS\\; ok\r\nDESCRIPTION:daily at 02:00\\nnightly to PBS\r\n\
CATEGORIES:backup\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(text, want);
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_char_boundaries() {
        let long = "é".repeat(100);
        let text = calendar("x", &[event(&long)], 0);
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{long}\r\n")));
    }

    #[test]
    fn zero_length_events_last_a_minute_and_controls_are_dropped() {
        let mut e = event("a\u{7}b");
        e.end = e.start;
        let text = calendar("x", &[e], 0);
        assert!(text.contains("DTEND:20260518T020100Z"));
        assert!(text.contains("SUMMARY:ab\r\n"));
    }
}
