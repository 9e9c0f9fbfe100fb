// SPDX-License-Identifier: GPL-2.0-only
/* x86-64 decoding through capstone (decode.h); ISA facts as tables. */
#include "decode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "x86.h"

struct kx_decoder {
	csh cs;	 /* Intel syntax, with details: the facts */
	csh att; /* AT&T syntax, no details: the text of reported instructions */
	cs_insn *insn, *att_insn;
	uint8_t reg_cls[X86_REG_ENDING]; /* reg_classes, by register number */
};

/* Register files by capstone register number (Intel SDM vol. 1, ch. 8-15:
 * x87 FPU, MMX, SSE, AVX, AVX-512 state; all of it is user state the
 * kernel saves only around kernel_fpu_begin()/end()). */
static const struct {
	x86_reg first, last;
	unsigned cls;
} reg_classes[] = {
	{ X86_REG_FPSW, X86_REG_FPSW, KX_SIMD_X87 },
	{ X86_REG_FP0, X86_REG_FP7, KX_SIMD_X87 },
	{ X86_REG_ST0, X86_REG_ST7, KX_SIMD_X87 },
	{ X86_REG_MM0, X86_REG_MM7, KX_SIMD_MMX },
	{ X86_REG_XMM0, X86_REG_XMM31, KX_SIMD_SSE },
	{ X86_REG_YMM0, X86_REG_YMM31, KX_SIMD_AVX },
	{ X86_REG_ZMM0, X86_REG_ZMM31, KX_SIMD_AVX512 },
	{ X86_REG_K0, X86_REG_K7, KX_SIMD_AVX512 },
};

/* Instruction groups that use a register file without naming a register
 * operand (x87 loads and stores of memory, emms, 3DNow!). */
static const struct {
	uint8_t group;
	unsigned cls;
} group_classes[] = {
	{ X86_GRP_FPU, KX_SIMD_X87 },
	{ X86_GRP_MMX, KX_SIMD_MMX },
	{ X86_GRP_3DNOW, KX_SIMD_MMX },
};

/* Instructions on SIMD control state with only a memory operand
 * (Intel SDM: LDMXCSR, STMXCSR and their VEX forms). */
static const struct {
	unsigned id;
	unsigned cls;
} insn_classes[] = {
	{ X86_INS_LDMXCSR, KX_SIMD_SSE },
	{ X86_INS_STMXCSR, KX_SIMD_SSE },
	{ X86_INS_VLDMXCSR, KX_SIMD_AVX },
	{ X86_INS_VSTMXCSR, KX_SIMD_AVX },
};

static const char *const simd_names[] = { "x87", "MMX", "SSE", "AVX", "AVX-512" };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* reg_classes as a look-up by register number: every operand and implicit
 * register of every instruction is classified. */
static void index_reg_classes(struct kx_decoder *d)
{
	size_t i;
	unsigned r;

	for (i = 0; i < ARRAY_SIZE(reg_classes); i++)
		for (r = reg_classes[i].first; r <= (unsigned)reg_classes[i].last; r++)
			d->reg_cls[r] = (uint8_t)reg_classes[i].cls;
}

/*
 * Capstone 4 sorts its tables of instructions with implicit register
 * operands (cmp al, imm8; in al, dx; invlpga) the first time it decodes
 * one, without a lock (X86_insn_reg_intel and its kin in X86Mapping.c).
 * Two threads decoding for the first time at once may then search a
 * half-sorted table and take another instruction's registers: once in
 * some thousands of runs, `cmp $0xff,%al` was reported as x87 code. One
 * decode of each kind here, in the thread making the decoder (before the
 * audit starts threads of its own), sorts them all.
 */
static void sort_capstone_tables(csh handle, cs_insn *in)
{
	static const uint8_t implicit_regs[] = {
		0x3c, 0xff,	  /* cmp $0xff, %al */
		0xec,		  /* in (%dx), %al */
		0x0f, 0x01, 0xdf, /* invlpga %rax, %ecx */
	};
	const uint8_t *code = implicit_regs;
	size_t size = sizeof(implicit_regs);
	uint64_t addr = 0;

	while (size && cs_disasm_iter(handle, &code, &size, &addr, in))
		;
}

int kx_decoder_new(struct kx_decoder **out)
{
	struct kx_decoder *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return -ENOMEM;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &d->cs) != CS_ERR_OK) {
		free(d);
		return -EIO;
	}
	cs_option(d->cs, CS_OPT_DETAIL, CS_OPT_ON);
	index_reg_classes(d);
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &d->att) != CS_ERR_OK) {
		cs_close(&d->cs);
		free(d);
		return -EIO;
	}
	cs_option(d->att, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	d->insn = cs_malloc(d->cs);
	d->att_insn = cs_malloc(d->att);
	if (!d->insn || !d->att_insn) {
		if (d->insn)
			cs_free(d->insn, 1);
		if (d->att_insn)
			cs_free(d->att_insn, 1);
		cs_close(&d->cs);
		cs_close(&d->att);
		free(d);
		return -ENOMEM;
	}
	sort_capstone_tables(d->cs, d->insn);
	sort_capstone_tables(d->att, d->att_insn);
	*out = d;
	return 0;
}

void kx_decoder_free(struct kx_decoder *d)
{
	if (!d)
		return;
	cs_free(d->insn, 1);
	cs_free(d->att_insn, 1);
	cs_close(&d->cs);
	cs_close(&d->att);
	free(d);
}

static unsigned reg_class(const struct kx_decoder *d, unsigned reg)
{
	return reg < X86_REG_ENDING ? d->reg_cls[reg] : 0;
}

static unsigned simd_of(const struct kx_decoder *d, const cs_insn *in)
{
	const cs_detail *dt = in->detail;
	unsigned cls = 0;
	size_t i;
	int j;

	for (j = 0; j < dt->x86.op_count; j++)
		if (dt->x86.operands[j].type == X86_OP_REG)
			cls |= reg_class(d, dt->x86.operands[j].reg);
	for (j = 0; j < dt->regs_read_count; j++)
		cls |= reg_class(d, dt->regs_read[j]);
	for (j = 0; j < dt->regs_write_count; j++)
		cls |= reg_class(d, dt->regs_write[j]);
	for (j = 0; j < dt->groups_count; j++)
		for (i = 0; i < ARRAY_SIZE(group_classes); i++)
			if (dt->groups[j] == group_classes[i].group)
				cls |= group_classes[i].cls;
	for (i = 0; i < ARRAY_SIZE(insn_classes); i++)
		if (in->id == insn_classes[i].id)
			cls |= insn_classes[i].cls;
	return cls;
}

static bool in_group(const cs_insn *in, uint8_t group)
{
	int j;

	for (j = 0; j < in->detail->groups_count; j++)
		if (in->detail->groups[j] == group)
			return true;
	return false;
}

static enum kx_branch branch_of(const cs_insn *in)
{
	const cs_x86 *x = &in->detail->x86;
	bool direct = x->op_count >= 1 && x->operands[0].type == X86_OP_IMM;

	if (in_group(in, X86_GRP_RET))
		return KX_BR_RET;
	if (in_group(in, X86_GRP_CALL))
		return direct ? KX_BR_CALL : KX_BR_ICALL;
	if (in_group(in, X86_GRP_JUMP))
		return direct ? KX_BR_JUMP : KX_BR_IJUMP;
	return KX_BR_NONE;
}

static bool is_reg(const cs_x86_op *op, x86_reg reg)
{
	return op->type == X86_OP_REG && op->reg == reg;
}

/* "lock add/or $0, mem" changes nothing: the kernel's full barrier
 * (arch/x86/include/asm/barrier.h: "lock; addl $0,-4(%%rsp)") aims it
 * below %rsp on purpose, where no live data is. */
static bool is_barrier_idiom(const cs_insn *in)
{
	const cs_x86 *x = &in->detail->x86;

	return x->prefix[0] == X86_PREFIX_LOCK && (in->id == X86_INS_ADD || in->id == X86_INS_OR) &&
	       x->op_count == 2 && x->operands[1].type == X86_OP_IMM && x->operands[1].imm == 0;
}

/* A memory operand at a known negative offset from %rsp: base %rsp and
 * no index (with an index the address is not known: arrays biased by a
 * constant are common). */
static bool below_rsp(const cs_x86_op *op)
{
	return op->type == X86_OP_MEM && op->mem.base == X86_REG_RSP &&
	       op->mem.index == X86_REG_INVALID && op->mem.disp < 0;
}

/* Operands are in Intel order: the destination is the first one. */
static void stack_facts(const cs_insn *in, struct kx_insn *out)
{
	const cs_x86 *x = &in->detail->x86;
	const cs_x86_op *src, *dst;
	int j;

	for (j = 0; j < x->op_count; j++) {
		const cs_x86_op *op = &x->operands[j];

		if (below_rsp(op) && !out->lea && in->id != X86_INS_NOP && !is_barrier_idiom(in)) {
			out->mem_below_rsp = true;
			out->rsp_disp = op->mem.disp;
		}
	}
	if (x->op_count != 2)
		return;
	dst = &x->operands[0];
	src = &x->operands[1];
	if (in->id == X86_INS_SUB && src->type == X86_OP_IMM && src->imm > 0) {
		if (is_reg(dst, X86_REG_RSP))
			out->rsp_grow = (uint64_t)src->imm;
		else if (dst->type == X86_OP_REG) {
			out->grow_reg = dst->reg;
			out->grow_imm = (uint64_t)src->imm;
		}
	} else if (in->id == X86_INS_ADD && src->type == X86_OP_IMM && src->imm < 0 &&
		   is_reg(dst, X86_REG_RSP)) {
		out->rsp_grow = (uint64_t)-src->imm;
	} else if (out->lea && is_reg(dst, X86_REG_RSP) && src->type == X86_OP_MEM &&
		   src->mem.base == X86_REG_RSP && src->mem.index == X86_REG_INVALID &&
		   src->mem.disp < 0) {
		out->rsp_grow = (uint64_t)-src->mem.disp;
	} else if (in->id == X86_INS_MOV && is_reg(src, X86_REG_RSP) && dst->type == X86_OP_REG) {
		out->rsp_copy = dst->reg;
	}
}

int kx_decode(struct kx_decoder *d, const uint8_t *code, size_t size, uint64_t off,
	      struct kx_insn *insn)
{
	const uint8_t *p = code;
	uint64_t addr = off;
	cs_insn *in = d->insn;

	memset(insn, 0, offsetof(struct kx_insn, text));
	if (!cs_disasm_iter(d->cs, &p, &size, &addr, in))
		return -ENOEXEC;
	insn->off = off;
	insn->size = in->size;
	insn->endbr = in->size == 4 && kx_is_endbr64(code, in->size);
	insn->lea = in->id == X86_INS_LEA;
	insn->simd = simd_of(d, in);
	insn->branch = branch_of(in);
	stack_facts(in, insn);
	insn->text[0] = '\0';
	return 0;
}

int kx_insn_length(struct kx_decoder *d, const uint8_t *code, size_t size)
{
	uint64_t addr = 0;

	/* The AT&T handle: details off, so capstone fills in no operands. */
	if (!cs_disasm_iter(d->att, &code, &size, &addr, d->att_insn))
		return -ENOEXEC;
	return d->att_insn->size;
}

int kx_decode_text(struct kx_decoder *d, const uint8_t *code, size_t size, uint64_t off,
		   struct kx_insn *insn)
{
	const uint8_t *p = code;
	uint64_t addr = off;
	cs_insn *in = d->att_insn;

	insn->text[0] = '\0';
	if (!cs_disasm_iter(d->att, &p, &size, &addr, in))
		return -ENOEXEC;
	/* Truncated if longer (capstone allows 160 bytes of operands). */
	if (snprintf(insn->text, sizeof(insn->text), "%.31s%s%.79s", in->mnemonic,
		     in->op_str[0] ? " " : "", in->op_str) < 0)
		insn->text[0] = '\0';
	return 0;
}

const char *kx_simd_names(unsigned simd, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(simd_names) && n < len; i++)
		if (simd & (1u << i))
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "/" : "",
					      simd_names[i]);
	return buf;
}
