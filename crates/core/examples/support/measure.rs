//! Shared by the benchmark examples: a counting global allocator, one timed and
//! allocation-counted sample, and in-memory answers for the collectors.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use backwatch_core::sources::HttpResponse;

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// One run: its time and what it allocated.
pub struct Sample {
    pub time: Duration,
    pub allocs: u64,
    pub alloc_bytes: u64,
}

/// Time `f` and count its allocations.
pub fn measure<T>(f: impl FnOnce() -> T) -> (Sample, T) {
    let a0 = ALLOCS.load(Ordering::Relaxed);
    let b0 = BYTES.load(Ordering::Relaxed);
    let t = Instant::now();
    let out = f();
    let time = t.elapsed();
    let s = Sample {
        time,
        allocs: ALLOCS.load(Ordering::Relaxed) - a0,
        alloc_bytes: BYTES.load(Ordering::Relaxed) - b0,
    };
    (s, out)
}

/// A 200 JSON answer from `routes`, or an empty `data` list for a path not in it.
pub fn respond(routes: &HashMap<String, String>, path: &str) -> HttpResponse {
    HttpResponse {
        status: 200,
        content_type: Some("application/json".into()),
        body: routes
            .get(path)
            .cloned()
            .unwrap_or_else(|| r#"{"data":[]}"#.into()),
    }
}
