// SPDX-License-Identifier: GPL-2.0-only
//! kernel::debugfs test module: one file of each kind under
//! /sys/kernel/debug/rust_debugfs, read and written by rust_debugfs.boot.
//! Values written are logged at unload; a file dropped during init must be
//! gone.

use kernel::{
    debugfs::{Dir, File, Scope},
    fmt, new_mutex,
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        Mutex,
    },
    uaccess::UserSliceReader,
};

module! {
    type: RustDebugfs,
    name: "rust_debugfs",
    authors: ["kelfix"],
    description: "kernel::debugfs files of every kind",
    license: "GPL",
}

/// Shown through its derived `Debug`.
#[derive(Debug)]
struct Point {
    x: i32,
    y: i32,
}

/// The data of a scope: files in a small tree share it.
#[pin_data]
struct Stats {
    hits: Atomic<u32>,
    #[pin]
    label: Mutex<u32>,
}

fn show_hex(value: &Atomic<u32>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    writeln!(f, "{:#x}", value.load(Relaxed))
}

/// Parses the decimal number written in `reader`.
fn parse_u32(reader: &mut UserSliceReader) -> Result<u32> {
    let mut buf = [0u8; 16];
    let len = reader.len();
    let text = buf.get_mut(..len).ok_or(EINVAL)?;
    reader.read_slice(text)?;
    let text = core::str::from_utf8(text).map_err(|_| EINVAL)?;
    text.trim().parse().map_err(|_| EINVAL)
}

fn store_half(value: &Atomic<u32>, reader: &mut UserSliceReader) -> Result {
    value.store(parse_u32(reader)? / 2, Relaxed);
    Ok(())
}

struct RustDebugfs {
    _dir: Dir,
    _answer: Pin<KBox<File<u32>>>,
    counter: Pin<KBox<File<Atomic<u64>>>>,
    limit: Pin<KBox<File<Mutex<i64>>>>,
    sink: Pin<KBox<File<Atomic<i32>>>>,
    _hex: Pin<KBox<File<Atomic<u32>>>>,
    doubled: Pin<KBox<File<Atomic<u32>>>>,
    reset: Pin<KBox<File<Atomic<u32>>>>,
    _blob: Pin<KBox<File<u32>>>,
    rwblob: Pin<KBox<File<Mutex<[u8; 8]>>>>,
    wblob: Pin<KBox<File<Mutex<[u8; 4]>>>>,
    point: Pin<KBox<File<Point>>>,
    stats: Pin<KBox<Scope<Stats>>>,
}

impl kernel::Module for RustDebugfs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let dir = Dir::new(c"rust_debugfs");
        let sub = dir.subdir(c"sub");

        // Made and dropped at once: the file must be gone.
        drop(KBox::pin_init(
            dir.read_only_file(c"temp", 1u8),
            GFP_KERNEL,
        )?);

        let this = Self {
            _answer: KBox::pin_init(dir.read_only_file(c"answer", 42u32), GFP_KERNEL)?,
            counter: KBox::pin_init(
                dir.read_write_file(c"counter", Atomic::<u64>::new(1)),
                GFP_KERNEL,
            )?,
            limit: KBox::pin_init(
                dir.read_write_file(c"limit", new_mutex!(100i64)),
                GFP_KERNEL,
            )?,
            sink: KBox::pin_init(
                dir.write_only_file(c"sink", Atomic::<i32>::new(0)),
                GFP_KERNEL,
            )?,
            _hex: KBox::pin_init(
                dir.read_callback_file(c"hex", Atomic::<u32>::new(255), &show_hex),
                GFP_KERNEL,
            )?,
            doubled: KBox::pin_init(
                dir.read_write_callback_file(
                    c"doubled",
                    Atomic::<u32>::new(2),
                    &|v: &Atomic<u32>, f: &mut fmt::Formatter<'_>| {
                        writeln!(f, "{}", v.load(Relaxed) * 2)
                    },
                    &store_half,
                ),
                GFP_KERNEL,
            )?,
            reset: KBox::pin_init(
                dir.write_callback_file(
                    c"reset",
                    Atomic::<u32>::new(0),
                    &|v: &Atomic<u32>, r: &mut UserSliceReader| {
                        v.store(parse_u32(r)? + 1000, Relaxed);
                        Ok(())
                    },
                ),
                GFP_KERNEL,
            )?,
            // Little-endian: the bytes "abcd".
            _blob: KBox::pin_init(dir.read_binary_file(c"blob", 0x6463_6261u32), GFP_KERNEL)?,
            rwblob: KBox::pin_init(
                dir.read_write_binary_file(c"rwblob", new_mutex!([b'x'; 8])),
                GFP_KERNEL,
            )?,
            wblob: KBox::pin_init(
                dir.write_binary_file(c"wblob", new_mutex!([b'-'; 4])),
                GFP_KERNEL,
            )?,
            point: KBox::pin_init(
                sub.read_only_file(c"point", Point { x: 3, y: -4 }),
                GFP_KERNEL,
            )?,
            stats: KBox::pin_init(
                dir.scope(
                    pin_init!(Stats { hits: Atomic::new(7), label <- new_mutex!(5) }),
                    c"stats",
                    |stats, d| {
                        d.read_only_file(c"hits", &stats.hits);
                        let nested = d.dir(c"nested");
                        nested.read_write_file(c"label", &stats.label);
                        nested.read_callback_file(c"hits_hex", &stats.hits, &show_hex);
                        nested.write_only_callback_file(c"hit", &stats.hits, &|h, _r| {
                            h.fetch_add(1, Relaxed);
                            Ok(())
                        });
                    },
                ),
                GFP_KERNEL,
            )?,
            _dir: dir,
        };
        pr_info!("ready\n");
        Ok(this)
    }
}

impl Drop for RustDebugfs {
    fn drop(&mut self) {
        pr_info!("counter {}\n", self.counter.load(Relaxed));
        pr_info!("limit {}\n", *self.limit.lock());
        pr_info!("sink {}\n", self.sink.load(Relaxed));
        pr_info!("doubled {}\n", self.doubled.load(Relaxed));
        pr_info!("reset {}\n", self.reset.load(Relaxed));
        let rw = *self.rwblob.lock();
        pr_info!("rwblob {}\n", core::str::from_utf8(&rw).unwrap_or("?"));
        let w = *self.wblob.lock();
        pr_info!("wblob {}\n", core::str::from_utf8(&w).unwrap_or("?"));
        pr_info!("point {} {}\n", self.point.x, self.point.y);
        pr_info!(
            "stats hits {} label {}\n",
            self.stats.hits.load(Relaxed),
            *self.stats.label.lock()
        );
    }
}
