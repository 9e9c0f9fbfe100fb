#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Helpers of bench/run (see README.md): measuring, ELF statistics, making
the copies of the large archive, and the report.

  measure LOG -- CMD... [--then CMD...]
        runs the commands one after another (output appended to LOG) and
        prints "WALL_S PEAK_RSS_KB STATUS CPU_S": wall time of the whole
        sequence (perf_counter around fork/exec/wait4), the largest peak
        RSS of the commands (from one more run of each, under GNU time:
        see peak_rss_kb), the first non-zero exit status (0 if none),
        user + system CPU time of all of them (less disturbed than wall
        time by other load on the machine; excludes I/O waits such as
        fsync)
  elfstat OBJ
        prints "ALLOC_BYTES LAID_OUT_BYTES NSECTIONS" of an ELF64 object:
        plain sum of SHF_ALLOC section sizes; the same laid out as the
        module loader does (code, read-only, writable, each section aligned
        to sh_addralign, .modinfo left out; as tests/integ/hello-size.sh);
        number of section headers
  codesize LISTFILE
        prints "NFILES FILE_BYTES EXEC_BYTES": for the .ko/.ko.xz files
        listed, their size on disk and the sum of SHF_EXECINSTR section
        sizes after decompression
  symmaps DEFS NCOPIES OUTDIR
        DEFS: the defined global symbols of the base archive, one a line.
        Writes OUTDIR/cNNN.map (objcopy --redefine-syms) for copies
        1..NCOPIES and checks that no two names of all copies collide.
  copies-rev
        prints the revision of the copies' format (bench/run's cache key)
  stub NCOPIES
        prints the assembly of the "live" variant's init_module and
        cleanup_module, calling those of copies 1..NCOPIES
  report RESULTS.tsv
        the tables (see README.md); RESULTS.tsv is written by bench/run
"""
import lzma
import os
import shutil
import statistics
import struct
import sys
import tempfile
import time

SHF_ALLOC, SHF_WRITE, SHF_EXECINSTR = 2, 1, 4
SHT_NOBITS = 8


# --- measure -----------------------------------------------------------------

def cmd_measure(args):
    log = args[0]
    if len(args) < 3 or args[1] != "--":
        sys.exit("usage: measure LOG -- CMD... [--then CMD...]")
    cmds, cur = [], []
    for a in args[2:]:
        if a == "--then":
            cmds.append(cur)
            cur = []
        else:
            cur.append(a)
    cmds.append(cur)
    peak, status, cpu = 0, 0, 0.0
    with open(log, "ab") as out:
        t0 = time.perf_counter()
        for c in cmds:
            pid = spawn(c, out)
            _, st, ru = os.wait4(pid, 0)
            cpu += ru.ru_utime + ru.ru_stime
            rc = os.waitstatus_to_exitcode(st)
            if rc and not status:
                status = rc if rc > 0 else 128 - rc
        t1 = time.perf_counter()
        if not status:
            peak = max(peak_rss_kb(c, out) for c in cmds)
    print(f"{t1 - t0:.6f} {peak} {status} {cpu:.6f}")


def spawn(cmd, out):
    """Fork and exec cmd, its output to the file out; returns the pid."""
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    return pid


def peak_rss_kb(cmd, out):
    """Peak resident set of cmd, in KiB, from a run under GNU time.

    Not the ru_maxrss of a child of this process: Linux keeps a process's
    largest resident set across execve, and a forked child's starts as
    its parent's, so every command run from here would show at least this
    Python's 10 MB.  GNU time is a small process (1 MB) that forks and
    execs the command and reports its ru_maxrss."""
    gnu_time = shutil.which("time")
    if not gnu_time:
        sys.exit("measure: GNU time is needed (Debian package 'time')")
    with tempfile.NamedTemporaryFile(mode="r") as f:
        pid = spawn([gnu_time, "-f", "%M", "-o", f.name, "--"] + cmd, out)
        _, st, _ = os.wait4(pid, 0)
        if os.waitstatus_to_exitcode(st):
            sys.exit(f"measure: {cmd[0]} failed under GNU time")
        return int(f.read().split()[-1])


# --- ELF ---------------------------------------------------------------------

def elf_sections(data):
    """(name, type, flags, size, align) of every section of an ELF64 LE."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not an ELF64 little-endian file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if shoff == 0:
        return []
    sh0 = struct.unpack_from("<IIQQQQIIQQ", data, shoff)
    if shnum == 0:
        shnum = sh0[5]
    if shstrndx == 0xFFFF:
        shstrndx = sh0[6]
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
            for i in range(shnum)]
    stroff = hdrs[shstrndx][4] if shstrndx < shnum else None
    out = []
    for h in hdrs:
        name = ""
        if stroff is not None:
            end = data.index(b"\0", stroff + h[0])
            name = data[stroff + h[0]:end].decode("latin-1")
        out.append((name, h[1], h[2], h[5], h[8]))
    return out


def elfstat(path):
    with open(path, "rb") as f:
        secs = elf_sections(f.read())
    alloc = sum(s[3] for s in secs if s[2] & SHF_ALLOC)
    end = [0, 0, 0]
    for name, _typ, flags, size, align in secs:
        if not flags & SHF_ALLOC or name == ".modinfo":
            continue
        cat = 0 if flags & SHF_EXECINSTR else (2 if flags & SHF_WRITE else 1)
        if align > 1:
            end[cat] = (end[cat] + align - 1) // align * align
        end[cat] += size
    return alloc, sum(end), len(secs)


def cmd_elfstat(args):
    print("%d %d %d" % elfstat(args[0]))


def cmd_codesize(args):
    n = disk = code = 0
    with open(args[0]) as lst:
        for line in lst:
            path = line.strip()
            if not path:
                continue
            with open(path, "rb") as f:
                raw = f.read()
            disk += len(raw)
            if path.endswith(".xz"):
                raw = lzma.decompress(raw)
            code += sum(s[3] for s in elf_sections(raw)
                        if s[2] & SHF_EXECINSTR and s[1] != SHT_NOBITS)
            n += 1
    print(n, disk, code)


# --- copies of the large archive ---------------------------------------------

# Bump when rename() or cmd_stub() change: bench/run remakes the copies.
COPIES_REV = "1"
B62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def copy_tag(k):
    return "c%03d" % k


def rename(name, k):
    """Copy k's name for a defined global of the base archive.

    Rust v0 names (_R...) keep their length (backreferences are byte
    offsets): the last two base-62 digits of every crate disambiguator
    (Cs<digits>_) are shifted by a pair that is distinct for each copy, as
    if each copy were another build of the same crates.  Every other name
    (C names, LLVM's anon.* constants, init_module) becomes a legacy
    mangled one, _ZN4cNNN<len><name>E: still the copy's own, and mangled,
    so kelfix does not take it as an interface root (relink/resolve.c)."""
    a, b = divmod(k - 1, 61)
    a, b = a + 1, b + 1
    if a > 61:
        raise ValueError("at most 3721 copies")
    if name.startswith("_R"):
        out, i, changed = [], 0, False
        while True:
            j = name.find("Cs", i)
            if j < 0:
                break
            e = j + 2
            while e < len(name) and name[e] in B62:
                e += 1
            if e < len(name) and name[e] == "_" and e - (j + 2) >= 2:
                d = list(name[j + 2:e])
                d[-2] = B62[(B62.index(d[-2]) + a) % 62]
                d[-1] = B62[(B62.index(d[-1]) + b) % 62]
                out.append(name[i:j + 2] + "".join(d))
                i, changed = e, True
            else:
                out.append(name[i:e])
                i = e
        out.append(name[i:])
        if changed:
            return "".join(out)
    tag = copy_tag(k)
    return "_ZN%d%s%d%sE" % (len(tag), tag, len(name), name)


def cmd_symmaps(args):
    defs_file, ncopies, outdir = args[0], int(args[1]), args[2]
    with open(defs_file) as f:
        defs = sorted({l.strip() for l in f if l.strip()})
    seen = set(defs)
    os.makedirs(outdir, exist_ok=True)
    for k in range(1, ncopies + 1):
        lines = []
        for d in defs:
            n = rename(d, k)
            if n in seen:
                sys.exit(f"symmaps: copy {k}: {d} -> {n} collides")
            seen.add(n)
            lines.append(f"{d} {n}\n")
        with open(os.path.join(outdir, copy_tag(k) + ".map"), "w") as f:
            f.writelines(lines)


def cmd_copies_rev(_args):
    print(COPIES_REV)


def cmd_stub(args):
    n = int(args[0])
    p = print
    p("# kelfix bench: the live variant's module entry points (bench/run)")
    for fn in ("init_module", "cleanup_module"):
        p(f'\t.section .text.{fn},"ax",@progbits')
        p(f"\t.globl {fn}\n\t.type {fn},@function\n\t.p2align 4")
        p(f"{fn}:\n\tendbr64\n\tpushq %rbx")
        for k in range(1, n + 1):
            p(f"\tcall {rename(fn, k)}")
        p("\tpopq %rbx")
        if fn == "init_module":
            p("\txorl %eax, %eax")
        p(f"\tret\n\t.size {fn}, .-{fn}")
    p('\t.section .modinfo,"a",@progbits')
    p('\t.asciz "license=GPL"')
    p('\t.asciz "description=kelfix bench: live copies"')
    p('\t.section .note.GNU-stack,"",@progbits')


# --- report ------------------------------------------------------------------

def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_bytes(n):
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"


def ratio(a, b):
    return f"{a / b:.2f}" if b else "-"


def spread(xs):
    """(max - min) / median, in per cent: how noisy the runs were."""
    m = med(xs)
    return 100 * (max(xs) - min(xs)) / m if xs and m else float("nan")


TOOLS = ["kelfix", "bfd", "lld"]
TOOL_NAMES = {"kelfix": "kelfix", "bfd": "ld.bfd --gc-sections + objcopy",
              "lld": "ld.lld -r (no GC)"}


def report_link(inputs, order, link, failed):
    nruns = max(len(d["wall"]) for d in link.values())
    print(f"== Link: median of {nruns} alternating runs. wall: elapsed; cpu: user+sys; "
          "+-: (max-min)/median of wall;")
    print("   RSS: peak resident set (bfd pipeline: max of ld and objcopy); "
          "alloc: sum of SHF_ALLOC sizes;")
    print("   laid-out: the same aligned per code/ro/rw as the loader lays it out "
          "(no .modinfo); secs: section headers")
    print("%-26s %-31s %8s %5s %8s %10s %7s %10s %10s %5s" % (
        "input (size)", "tool", "wall s", "+-%", "cpu s", "peak RSS", "RSS/in",
        "alloc B", "laid-out B", "secs"))
    for name in order:
        size = inputs[name][0]
        first = True
        for t in TOOLS:
            d = link.get((name, t))
            if not d:
                continue
            a, lo, ns = d["st"]
            label = f"{name} ({fmt_bytes(size)})" if first else ""
            first = False
            print("%-26s %-31s %8.3f %5.0f %8.3f %10s %7.2f %10d %10d %5d" % (
                label, TOOL_NAMES[t], med(d["wall"]), spread(d["wall"]), med(d["cpu"]),
                fmt_bytes(med(d["rss"])), med(d["rss"]) / size, a, lo, ns))
    for name, t, st in failed:
        print(f"  FAILED: {TOOL_NAMES[t]} on {name} (exit status {st}): left out")
    print()
    print("Ratios kelfix/peer (issue 8 targets: wall <= 0.5 x bfd and <= 1.0 x lld; "
          "RSS <= 1.5 x input; alloc <= bfd):")
    print("%-18s %8s %8s %8s %8s %8s %8s %9s %9s %9s %8s" % (
        "input", "wall/bfd", "wall/lld", "cpu/bfd", "cpu/lld", "RSS/bfd", "RSS/lld",
        "RSS/input", "alloc/bfd", "laid/bfd", "secs/bfd"))
    for name in order:
        k, b, l = (link.get((name, t)) for t in TOOLS)
        if not (k and b and l):
            continue
        w = [med(x["wall"]) for x in (k, b, l)]
        c = [med(x["cpu"]) for x in (k, b, l)]
        m = [med(x["rss"]) for x in (k, b, l)]
        print("%-18s %8s %8s %8s %8s %8s %8s %9s %9s %9s %8s" % (
            name, ratio(w[0], w[1]), ratio(w[0], w[2]), ratio(c[0], c[1]),
            ratio(c[0], c[2]), ratio(m[0], m[1]), ratio(m[0], m[2]),
            ratio(m[0], inputs[name][0]), ratio(k["st"][0], b["st"][0]),
            ratio(k["st"][1], b["st"][1]), ratio(k["st"][2], b["st"][2])))
    print()
    print("Linearity: time against input size (per MB of archive)")
    print("%-18s %8s %9s %9s %9s %9s %10s %10s" % (
        "input", "size MB", "kelfix s", "cpu s", "ms/MB", "cpu ms/MB", "bfd ms/MB",
        "lld ms/MB"))
    names = [n for n in order if (n, "kelfix") in link]
    for name in sorted(names, key=lambda n: (n.startswith("large-live"), inputs[n][0])):
        mb = inputs[name][0] / 1e6
        kw = med(link[(name, "kelfix")]["wall"])
        kc = med(link[(name, "kelfix")]["cpu"])
        peer = [med(link[(name, t)]["wall"]) if (name, t) in link else float("nan")
                for t in ("bfd", "lld")]
        print("%-18s %8.1f %9.3f %9.3f %9.2f %9.2f %10.2f %10.2f" % (
            name, mb, kw, kc, 1e3 * kw / mb, 1e3 * kc / mb, 1e3 * peer[0] / mb,
            1e3 * peer[1] / mb))
    notes = [(n, inputs[n][1]) for n in order if inputs[n][1]]
    if notes:
        print()
        print("Inputs:")
        for n, note in notes:
            print(f"  {n}: {note}")
    print()


def report_audit(audit):
    # audit RUN WALL RSS STATUS NFILES DISK EXEC CPU
    w = [float(r[2]) for r in audit]
    c = [float(r[8]) for r in audit]
    m = [int(r[3]) * 1024 for r in audit]
    n, disk, code = int(audit[0][5]), int(audit[0][6]), int(audit[0][7])
    mw, mc = med(w), med(c)
    print(f"== Audit: kelfix --audit --kernel over {n} modules "
          f"({fmt_bytes(disk)} on disk, {fmt_bytes(code)} of executable sections "
          f"decompressed), one process, median of {len(w)} runs")
    print(f"  wall {mw:.2f} s (runs: {', '.join('%.2f' % x for x in w)}), cpu {mc:.2f} s, "
          f"peak RSS {fmt_bytes(med(m))}, exit status {','.join(sorted({r[4] for r in audit}))}")
    print(f"  throughput {code / 1e6 / mw:.1f} MB of code per second of wall time "
          f"({code / 1e6 / mc:.1f} per CPU second), {n / mw:.0f} modules per second")
    print()


def report_bindgen(bg):
    # bindgen TOOL RUN WALL RSS STATUS CPU
    by = {}
    for r in bg:
        by.setdefault(r[1], []).append((float(r[3]), int(r[4]) * 1024, r[5], float(r[6])))
    print("== Bindgen: the header set and allowlists of tests/integ/bindgen-kernel-set.sh, "
          "command lines of bindgen-compare.sh; median of alternating runs")
    for t, v in by.items():
        print("  %-16s wall %7.3f s  cpu %7.3f s  peak RSS %9s  (%d runs, status %s)" % (
            t, med([x[0] for x in v]), med([x[3] for x in v]),
            fmt_bytes(med([x[1] for x in v])), len(v), ",".join(sorted({x[2] for x in v}))))
    if "kelfix-bindgen" in by and "bindgen" in by:
        k = [med([x[i] for x in by["kelfix-bindgen"]]) for i in (0, 3)]
        b = [med([x[i] for x in by["bindgen"]]) for i in (0, 3)]
        print(f"  ratio kelfix-bindgen/bindgen: wall {k[0] / b[0]:.2f}, cpu {k[1] / b[1]:.2f}")
    print()


def cmd_report(args):
    rows = []
    with open(args[0]) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                rows.append(line.rstrip("\n").split("\t"))
    inputs, order, link, failed, load = {}, [], {}, [], {}
    for r in rows:
        if r[0] == "input":       # input NAME BYTES NOTE
            inputs[r[1]] = (int(r[2]), r[3] if len(r) > 3 else "")
            order.append(r[1])
        elif r[0] == "link":      # link INPUT TOOL RUN WALL RSS ALLOC LAID NSEC CPU
            d = link.setdefault((r[1], r[2]), {"wall": [], "cpu": [], "rss": []})
            d["wall"].append(float(r[4]))
            d["rss"].append(int(r[5]) * 1024)
            d["st"] = (int(r[6]), int(r[7]), int(r[8]))
            d["cpu"].append(float(r[9]))
        elif r[0] == "failed":    # failed INPUT TOOL STATUS
            failed.append((r[1], r[2], r[3]))
        elif r[0] == "load":      # load start|end LOADAVG
            load[r[1]] = r[2]
    if load:
        print("Load average (1/5/15 min) at start: %s, at end: %s; other work on the "
              "machine shows in wall times more than in cpu times" % (
                  load.get("start", "?"), load.get("end", "?")))
        print()
    if link:
        report_link(inputs, order, link, failed)
    audit = [r for r in rows if r[0] == "audit"]
    if audit:
        report_audit(audit)
    bg = [r for r in rows if r[0] == "bindgen"]
    if bg:
        report_bindgen(bg)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    fn = globals().get("cmd_" + cmd.replace("-", "_"))
    if not fn:
        sys.exit(f"unknown command {cmd}\n{__doc__}")
    fn(args)


if __name__ == "__main__":
    main()
