// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks on instructions: every function (a symbol-bounded range of an
 * executable section) is decoded once, and each instruction is shown to
 * the code checks: fpu-simd, red-zone, stack-frame, indirect-branch, and
 * the address-taking half of missing-endbr.  Large inputs are decoded on
 * several threads (kx_check_code); what they find is reported in function
 * order, as one thread would.
 */
#include "audit_int.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "x86.h"

static bool sec_is_code(const struct kx_section *sec)
{
	return sec->sh.sh_type == SHT_PROGBITS && (sec->sh.sh_flags & SHF_EXECINSTR) &&
	       (sec->sh.sh_flags & SHF_ALLOC) && sec->sh.sh_size;
}

static bool sym_is_func(const struct kx_symbol *y)
{
	return GELF_ST_TYPE(y->sym.st_info) == STT_FUNC && y->sec && sec_is_code(y->sec) &&
	       y->sym.st_value < y->sec->sh.sh_size;
}

static int fn_cmp(const void *x, const void *y)
{
	const struct kx_fn *a = x, *b = y;

	if (a->oi != b->oi)
		return a->oi < b->oi ? -1 : 1;
	if (a->sec->index != b->sec->index)
		return a->sec->index < b->sec->index ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	/* Of aliases, the one with a size, then a global one, names it. */
	if (!a->sym->sym.st_size != !b->sym->sym.st_size)
		return a->sym->sym.st_size ? -1 : 1;
	if (kx_sym_is_local(a->sym) != kx_sym_is_local(b->sym))
		return kx_sym_is_local(a->sym) ? 1 : -1;
	return a->sym < b->sym ? -1 : a->sym > b->sym;
}

static bool same_sec(const struct kx_fn *a, const struct kx_fn *b)
{
	return a->oi == b->oi && a->sec == b->sec;
}

/* Aliases dropped; each range ends at its size or at the next function,
 * so no byte is decoded twice. */
static void fn_ranges(struct kx_unit *u)
{
	size_t i, n = 0;

	for (i = 0; i < u->nfns; i++) {
		struct kx_fn *f = &u->fns[i];

		if (n && same_sec(&u->fns[n - 1], f) && u->fns[n - 1].start == f->start)
			continue;
		u->fns[n++] = *f;
	}
	u->nfns = n;
	for (i = 0; i < n; i++) {
		struct kx_fn *f = &u->fns[i];
		uint64_t limit = f->sec->sh.sh_size;

		if (i + 1 < n && same_sec(f, &u->fns[i + 1]))
			limit = u->fns[i + 1].start;
		f->end = f->sym->sym.st_size ? f->start + f->sym->sym.st_size : limit;
		if (f->end > limit)
			f->end = limit;
	}
}

int kx_unit_functions(struct kx_unit *u)
{
	size_t i, n = 0;

	for (i = 0; i < u->nobjs; i++)
		n += u->objs[i]->nsyms;
	u->fns = calloc(n ? n : 1, sizeof(*u->fns));
	if (!u->fns)
		return -ENOMEM;
	for (i = 0; i < u->nobjs; i++) {
		const struct kx_symbol *y;

		if (!u->objs[i]->syms)
			continue;
		kx_for_each_sym(u->objs[i], y)
			if (sym_is_func(y))
				u->fns[u->nfns++] = (struct kx_fn){ y, y->sec, (unsigned)i,
								    y->sym.st_value, 0 };
	}
	qsort(u->fns, u->nfns, sizeof(*u->fns), fn_cmp);
	fn_ranges(u);
	return 0;
}

/* The function starting exactly at sec+off, or NULL. */
static const struct kx_fn *fn_at(const struct kx_unit *u, const struct kx_section *sec,
				 uint64_t off)
{
	size_t lo = 0, hi = u->nfns;
	unsigned oi = kx_unit_obj_index(u, sec->obj);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct kx_fn *f = &u->fns[mid];
		int c = f->oi != oi		    ? (f->oi < oi ? -1 : 1) :
			f->sec->index != sec->index ? (f->sec->index < sec->index ? -1 : 1) :
			f->start != off		    ? (f->start < off ? -1 : 1) :
						      0;

		if (!c)
			return f;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* --- one function ---------------------------------------------------- */

/* Functions are decoded in parts, one per thread (kx_check_code); a part
 * keeps what it finds, and the caller reports it in function order. */
struct code_part {
	struct kx_unit *u;
	struct kx_decoder *dec; /* the part's own (part 0: the audit's) */
	size_t from, to;	/* u->fns[from..to) */
	struct kx_places taken; /* address-taken places, in function order */
	struct fn_state *found; /* functions with something to report */
	size_t nfound, capfound;
	int err;
};

struct fn_state {
	const struct kx_fn *fn;
	struct kx_insn first_simd, first_below, first_indirect;
	unsigned simd, nsimd, nbelow, nindirect;
	uint64_t frame;
	int rsp_copy;	 /* the previous instruction copied %rsp here */
	bool probe_step; /* the previous one set a stack probe loop's bound */
	size_t r;	 /* next relocation of the section */
};

static bool reloc_is_pcrel(uint32_t type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_PC64;
}

/* Relocations inside a non-branch instruction load a code address:
 * address taken (objtool's validate_ibt_insn()). */
static int note_code_refs(struct code_part *part, struct fn_state *st, const struct kx_insn *in)
{
	struct kx_unit *u = part->u;
	struct kx_section *sec = st->fn->sec;
	uint64_t end = in->off + in->size;

	for (; st->r < sec->nrelocs && sec->relocs[st->r].offset < end; st->r++) {
		const struct kx_reloc *r = &sec->relocs[st->r];
		const struct kx_symbol *def;
		uint64_t target;
		int err;

		if (r->offset < in->off || in->branch != KX_BR_NONE)
			continue;
		/* Read-only: resolution is done before the threads start. */
		def = kx_unit_resolve(u, &sec->obj->syms[r->sym]);
		if (!def || !def->sec || !(def->sec->sh.sh_flags & SHF_EXECINSTR))
			continue;
		target = def->sym.st_value;
		if (kx_reloc_class(r->type) != KX_RC_GOTPCREL)
			target += (uint64_t)r->addend +
				  (reloc_is_pcrel(r->type) ? end - r->offset : 0);
		if (def->sec == sec && target >= st->fn->start && target < st->fn->end)
			continue; /* _THIS_IP_ and the like */
		err = kx_places_add(u, &part->taken, def->sec, target, "address loaded in code",
				    sec, in->off);
		if (err)
			return err;
	}
	return 0;
}

static void see_insn(struct kx_unit *u, struct fn_state *st, const struct kx_insn *in)
{
	if (in->simd) {
		if (!st->nsimd++)
			st->first_simd = *in;
		st->simd |= in->simd;
	}
	if (in->mem_below_rsp && !st->nbelow++)
		st->first_below = *in;
	/* LLVM's stack probe loop: "mov %rsp, %r11; sub $bound, %r11", then
	 * a loop whose first instruction takes one page of that bound from
	 * %rsp (already counted in it), then "sub $rest, %rsp". */
	if (!st->probe_step)
		st->frame += in->rsp_grow;
	st->probe_step = in->grow_reg && in->grow_reg == st->rsp_copy;
	if (st->probe_step)
		st->frame += in->grow_imm;
	st->rsp_copy = in->rsp_copy;
	if ((in->branch == KX_BR_ICALL || in->branch == KX_BR_IJUMP) &&
	    !kx_places_has(u, &u->safe, st->fn->sec, in->off) && !st->nindirect++)
		st->first_indirect = *in;
}

static const char *more(unsigned n, char *buf, size_t len)
{
	if (n > 1)
		snprintf(buf, len, " (and %u more in this function)", n - 1);
	else
		buf[0] = '\0';
	return buf;
}

static void fill_text(struct kx_unit *u, const struct kx_fn *f, struct kx_insn *in)
{
	kx_decode_text(u->a->dec, kx_sec_bytes(f->sec) + in->off, f->end - in->off, in->off, in);
}

/* A frame larger than the whole kernel stack runs off its end whenever the
 * function is called; one over CONFIG_FRAME_WARN (0: no warning) is what
 * the kernel's own build warns of. */
static bool frame_too_big(const struct kx_unit *u, uint64_t frame)
{
	return frame >= u->stack_size || (u->frame_warn && frame > u->frame_warn);
}

static int report_frame(struct kx_unit *u, const struct fn_state *st)
{
	const struct kx_fn *f = st->fn;
	unsigned long long frame = st->frame;
	unsigned kib = u->stack_size / 1024;

	if (frame >= u->stack_size)
		return kx_finding_add(
			u, KX_CHK_STACK_FRAME, KX_SEV_ERROR, f->sec->obj, f->sec, f->start,
			f->sym->name,
			"stack frame of %llu bytes is larger than the whole kernel "
			"stack (%u KiB): a call runs off its end (guard page fault, panic); "
			"move large buffers to the heap",
			frame, kib);
	return kx_finding_add(u, KX_CHK_STACK_FRAME, KX_SEV_WARNING, f->sec->obj, f->sec, f->start,
			      f->sym->name,
			      "stack frame of %llu bytes exceeds CONFIG_FRAME_WARN=%u (kernel "
			      "stacks are %u KiB); move large buffers to the heap",
			      frame, u->frame_warn, kib);
}

static int report_fn(struct kx_unit *u, struct fn_state *st)
{
	const struct kx_kernel *k = u->a->opt.kernel;
	const struct kx_fn *f = st->fn;
	struct kx_object *obj = f->sec->obj;
	const char *name = f->sym->name;
	char m[64], cls[64];
	int err = 0;

	if (st->nsimd)
		fill_text(u, f, &st->first_simd);
	if (st->nbelow)
		fill_text(u, f, &st->first_below);
	if (st->nindirect)
		fill_text(u, f, &st->first_indirect);
	if (st->nsimd)
		err = kx_finding_add(
			u, KX_CHK_FPU_SIMD, u->fpu_begin ? KX_SEV_NOTE : KX_SEV_ERROR, obj, f->sec,
			st->first_simd.off, name, "uses %s registers: '%s'%s; %s",
			kx_simd_names(st->simd, cls, sizeof(cls)), st->first_simd.text,
			more(st->nsimd, m, sizeof(m)),
			u->fpu_begin ?
				"the module calls kernel_fpu_begin(): check this runs between begin and end" :
				"user FPU state is corrupted; build for x86_64-unknown-none "
				"(soft-float) or bracket with kernel_fpu_begin()/end()");
	if (!err && st->nbelow)
		err = kx_finding_add(
			u, KX_CHK_RED_ZONE, KX_SEV_ERROR, obj, f->sec, st->first_below.off, name,
			"accesses memory %lld bytes below %%rsp: '%s'%s; an interrupt on "
			"this stack overwrites it; build with -mno-red-zone (x86_64-unknown-none does)",
			(long long)-st->first_below.rsp_disp, st->first_below.text,
			more(st->nbelow, m, sizeof(m)));
	if (!err && frame_too_big(u, st->frame))
		err = report_frame(u, st);
	if (!err && st->nindirect && (!k || k->retpoline))
		err = kx_finding_add(
			u, KX_CHK_INDIRECT_BRANCH, KX_SEV_WARNING, obj, f->sec,
			st->first_indirect.off, name,
			"indirect branch '%s'%s not through __x86_indirect_thunk_*: "
			"a Spectre v2 gadget on a retpoline kernel; build with retpolines "
			"(-Zretpoline, -mindirect-branch=thunk-extern)",
			st->first_indirect.text, more(st->nindirect, m, sizeof(m)));
	return err;
}

/* First relocation at or after off (sec->relocs is sorted). */
static size_t reloc_from(const struct kx_section *sec, uint64_t off)
{
	size_t lo = 0, hi = sec->nrelocs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sec->relocs[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Keep a function's state if report_fn() may have something to say. */
static int keep(struct code_part *part, const struct fn_state *st)
{
	struct fn_state *v;

	if (!st->nsimd && !st->nbelow && !st->nindirect && !frame_too_big(part->u, st->frame))
		return 0;
	v = kx_grow(part->found, &part->capfound, part->nfound + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	part->found = v;
	part->found[part->nfound++] = *st;
	return 0;
}

static int check_fn(struct code_part *part, const struct kx_fn *f)
{
	const unsigned char *code = kx_sec_bytes(f->sec);
	struct fn_state st = { .fn = f, .r = reloc_from(f->sec, f->start) };
	struct kx_insn in;
	uint64_t pc;
	int err;

	for (pc = f->start; pc < f->end; pc += in.size) {
		if (kx_decode(part->dec, code + pc, f->end - pc, pc, &in))
			break; /* not code capstone knows: stop, never guess */
		see_insn(part->u, &st, &in);
		err = note_code_refs(part, &st, &in);
		if (err)
			return err;
	}
	return keep(part, &st);
}

static void *check_part(void *arg)
{
	struct code_part *part = arg;
	size_t i;

	for (i = part->from; i < part->to && !part->err; i++)
		part->err = check_fn(part, &part->u->fns[i]);
	return NULL;
}

/* The CPUs this process may run on. */
static unsigned cpus(void)
{
	cpu_set_t set;

	if (!sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	return 1;
}

static unsigned code_threads(const struct kx_audit_opts *opt, uint64_t bytes)
{
	size_t split = opt->code_split ? opt->code_split : KX_CODE_SPLIT;
	unsigned n = opt->threads ? opt->threads : cpus();

	if (n > KX_CODE_THREADS)
		n = KX_CODE_THREADS;
	if (bytes / split < n)
		n = (unsigned)(bytes / split);
	return n ? n : 1;
}

/* Cut the functions into n parts of about the same number of bytes. */
static void cut(struct kx_unit *u, struct code_part *parts, unsigned n, uint64_t bytes)
{
	uint64_t done = 0;
	size_t i = 0;
	unsigned k;

	for (k = 0; k < n; k++) {
		parts[k].from = i;
		while (i < u->nfns && (k == n - 1 || done < bytes * (k + 1) / n)) {
			done += u->fns[i].end - u->fns[i].start;
			i++;
		}
		parts[k].to = i;
	}
}

/* In function order, as one thread would have: the places each part
 * found, then what each part's functions report. */
static int merge(struct kx_unit *u, struct code_part *part)
{
	size_t i;
	int err = part->err;

	for (i = 0; !err && i < part->taken.n; i++) {
		const struct kx_place *p = &part->taken.v[i];

		err = kx_places_add(u, &u->taken, p->sec, p->off, p->why, p->from, p->from_off);
	}
	for (i = 0; !err && i < part->nfound; i++)
		err = report_fn(u, &part->found[i]);
	return err;
}

int kx_check_code(struct kx_unit *u)
{
	struct code_part parts[KX_CODE_THREADS] = { 0 };
	pthread_t tids[KX_CODE_THREADS];
	bool started[KX_CODE_THREADS] = { false };
	uint64_t bytes = 0;
	unsigned n, k;
	size_t i;
	int err = 0;

	/* Everything the parts read is loaded first: loading may open an
	 * archive member again, which only one thread may do. */
	for (i = 0; i < u->nfns; i++) {
		err = kx_sec_load(u->fns[i].sec);
		if (err)
			return err;
		bytes += u->fns[i].end - u->fns[i].start;
	}
	n = code_threads(&u->a->opt, bytes);
	cut(u, parts, n, bytes);
	for (k = 0; k < n; k++) {
		parts[k].u = u;
		parts[k].dec = u->a->dec;
		if (k && (err = kx_decoder_new(&parts[k].dec)))
			break;
		if (k)
			started[k] = !pthread_create(&tids[k], NULL, check_part, &parts[k]);
	}
	check_part(&parts[0]);
	for (k = 1; k < n; k++) {
		if (started[k])
			pthread_join(tids[k], NULL);
		else if (parts[k].dec && !err)
			check_part(&parts[k]); /* no thread: do it here */
	}
	for (k = 0; k < n; k++) {
		if (!err)
			err = merge(u, &parts[k]);
		if (k && parts[k].dec)
			kx_decoder_free(parts[k].dec);
		free(parts[k].taken.v);
		free(parts[k].found);
	}
	return err;
}

/* --- missing-endbr --------------------------------------------------- */

/* The module's entry points (kx_module_entry_points) are entered by the
 * kernel through a pointer: address-taken. */
static int add_entry_points(struct kx_unit *u)
{
	size_t i;

	for (i = 0; i < KX_NENTRY_POINTS; i++) {
		const struct kx_global *g = kx_symbols_find(&u->syms, kx_module_entry_points[i]);
		const struct kx_symbol *y = g ? g->def : NULL;
		int err;

		if (!y || !y->sec)
			continue;
		err = kx_places_add(u, &u->taken, y->sec, y->sym.st_value, "module entry point",
				    NULL, 0);
		if (err)
			return err;
	}
	return 0;
}

/* Functions never reached by an indirect branch, whatever references
 * them: static call trampolines (objtool: "static_call_update()
 * references the trampoline, which doesn't have (or need) ENDBR"). */
static const char *const never_indirect[] = { ".static_call.text" };

static bool sec_never_indirect(const struct kx_section *sec)
{
	size_t i;

	for (i = 0; i < sizeof(never_indirect) / sizeof(never_indirect[0]); i++)
		if (!strcmp(sec->name, never_indirect[i]))
			return true;
	return false;
}

static int report_endbr(struct kx_unit *u, const struct kx_fn *f, const struct kx_place *p)
{
	const struct kx_kernel *k = u->a->opt.kernel;
	bool ibt = k && k->ibt;
	char where[512];

	if (p->from)
		snprintf(where, sizeof(where), "address taken at %s+0x%llx (%s)", p->from->name,
			 (unsigned long long)p->from_off, p->why);
	else
		snprintf(where, sizeof(where), "%s", p->why);
	return kx_finding_add(
		u, KX_CHK_MISSING_ENDBR, ibt ? KX_SEV_ERROR : KX_SEV_WARNING, f->sec->obj, f->sec,
		f->start, f->sym->name,
		"%s, but does not start with ENDBR64: an indirect call to it faults (#CP) "
		"%s; build with -Z cf-protection=branch (clang/gcc: -fcf-protection=branch)",
		where, ibt ? "on this IBT kernel" : "on IBT kernels (CONFIG_X86_KERNEL_IBT)");
}

int kx_check_endbr(struct kx_unit *u)
{
	size_t i;
	int err = add_entry_points(u);

	if (err)
		return err;
	kx_places_sort(&u->taken);
	for (i = 0; i < u->taken.n; i++) {
		const struct kx_place *p = &u->taken.v[i];
		const struct kx_fn *f;
		const unsigned char *code;

		if (i && u->taken.v[i - 1].sec == p->sec && u->taken.v[i - 1].off == p->off)
			continue;
		f = fn_at(u, p->sec, p->off);
		if (!f || sec_never_indirect(p->sec) ||
		    kx_places_has(u, &u->noendbr, p->sec, p->off))
			continue;
		if (!p->sec->data && (err = kx_sec_load(p->sec)))
			return err;
		code = kx_sec_bytes(p->sec);
		if (kx_is_endbr64(code + f->start, f->end - f->start))
			continue;
		err = report_endbr(u, f, p);
		if (err)
			return err;
	}
	return 0;
}
