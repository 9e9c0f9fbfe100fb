/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place kelfix reaches capstone: x86-64 instructions decoded
 * into the few facts the audit checks and the GOTPCREL rewrite need.  The checks never see a
 * capstone type; ISA facts (which registers are x87, MMX, SSE, ...) are
 * tables in decode.c.
 */
#ifndef KELFIX_DECODE_H
#define KELFIX_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Register-file classes an instruction can touch (bit masks). */
enum kx_simd_class {
	KX_SIMD_X87 = 1u << 0,
	KX_SIMD_MMX = 1u << 1,
	KX_SIMD_SSE = 1u << 2,	  /* xmm registers, MXCSR */
	KX_SIMD_AVX = 1u << 3,	  /* ymm registers */
	KX_SIMD_AVX512 = 1u << 4, /* zmm and opmask registers */
};

enum kx_branch {
	KX_BR_NONE,
	KX_BR_CALL,  /* call rel32 */
	KX_BR_JUMP,  /* jmp/jcc rel */
	KX_BR_ICALL, /* call through a register or memory */
	KX_BR_IJUMP, /* jmp through a register or memory */
	KX_BR_RET,
};

struct kx_insn {
	uint64_t off; /* where it starts, as a section offset */
	unsigned size;
	unsigned simd; /* enum kx_simd_class bits */
	enum kx_branch branch;
	bool endbr;	    /* endbr64 */
	bool lea;	    /* computes an address, touches no memory */
	bool mem_below_rsp; /* reads or writes memory at a negative offset from %rsp */
	int64_t rsp_disp;   /* that offset */
	uint64_t rsp_grow;  /* bytes this instruction takes from the stack by
			    * sub/add/lea on %rsp (0 if none) */
	int rsp_copy;	    /* "mov %rsp, %reg": the register (decoder's number), else 0 */
	int grow_reg;	    /* "sub $imm, %reg": the register, with grow_imm */
	uint64_t grow_imm;
	char text[112]; /* "mnemonic operands", AT&T syntax */
};

struct kx_decoder;

/* Returns 0, -ENOMEM or -EIO (capstone could not start). */
int kx_decoder_new(struct kx_decoder **out);
void kx_decoder_free(struct kx_decoder *d);

/*
 * Decode the instruction at code[0..size) (code is section offset off).
 * Returns 0, or -ENOEXEC when the bytes are not an instruction capstone
 * knows.
 */
int kx_decode(struct kx_decoder *d, const uint8_t *code, size_t size, uint64_t off,
	      struct kx_insn *insn);

/* The length of the instruction at code[0..size) (1..15), or -ENOEXEC.
 * Only the length: no facts, no text; for walking a function's code. */
int kx_insn_length(struct kx_decoder *d, const uint8_t *code, size_t size);

/* insn->text for the instruction at code (kx_decode leaves it empty). */
int kx_decode_text(struct kx_decoder *d, const uint8_t *code, size_t size, uint64_t off,
		   struct kx_insn *insn);

/* "x87", "MMX", "SSE", "AVX", "AVX-512" joined by '/' into buf. */
const char *kx_simd_names(unsigned simd, char *buf, size_t len);

#endif
