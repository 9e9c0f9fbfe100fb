/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-64 facts behind a narrow interface: relocation types and the
 * instruction rewrites relink does.  Generic passes never see opcodes.
 */
#ifndef KELFIX_X86_H
#define KELFIX_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kx_reloc_class {
	KX_RC_UNKNOWN = 0,
	KX_RC_OK,
	KX_RC_ABS32,
	KX_RC_GOTPCREL,
	KX_RC_TLS,
	KX_RC_BAD,
};

/* Class, name ("R_X86_64_PC32", or NULL) and patched size of a type. */
enum kx_reloc_class kx_reloc_class(uint32_t type);
const char *kx_reloc_name(uint32_t type);
unsigned kx_reloc_size(uint32_t type); /* 0 if unknown */

/* The forms of GOTPCREL rewrites (DESIGN.md's table) and the GOT. */
enum kx_gotpcrel_form {
	KX_GP_MOV,   /* mov -> lea */
	KX_GP_CALL,  /* call *  -> addr32 call */
	KX_GP_JMP,   /* jmp *   -> jmp rel32; nop */
	KX_GP_TEST,  /* test    -> test $imm32 (64 or 32 bits) */
	KX_GP_BINOP, /* op mem, r -> op $imm32, r (64 or 32 bits) */
	KX_GP_GOT,   /* anything else: through a GOT slot */
	KX_GP_NFORMS,
};

const char *kx_gotpcrel_form_name(enum kx_gotpcrel_form form);

/* Why a GOTPCREL-class site goes through the GOT (kelfix --stats). */
enum kx_gotpcrel_why {
	KX_GPW_FORM,	 /* no in-place form: opcode, operand or addend */
	KX_GPW_UNPROVEN, /* an in-place form needs the bytes before the opcode,
			  * and where the instruction starts is not proven */
	KX_GPW_PREFIX,	 /* a prefix other than one REX (66, 67, f2, f3, segment) */
	KX_GPW_NO_REX,	 /* R_X86_64_REX_GOTPCRELX on an instruction without REX */
	KX_GPW_DECODE,	 /* decoding the function puts no instruction there */
	KX_GPW_N,
};

const char *kx_gotpcrel_why_name(enum kx_gotpcrel_why why);

/* Where an instruction starts when that is not proven: not decoded, or
 * decoded with no instruction whose disp32 is the relocated field. */
#define KX_INSN_UNKNOWN UINT64_MAX
#define KX_INSN_NOT_AT_LOC (UINT64_MAX - 1)

/* A GOTPCREL-class relocation and what is known of its instruction. */
struct kx_gotpcrel_site {
	uint64_t loc; /* offset of the disp32 in the section */
	int64_t addend;
	uint32_t type; /* R_X86_64_GOTPCREL, GOTPCRELX or REX_GOTPCRELX */
	/* Offset of the instruction's first byte, proven by decoding from
	 * the start of the function that holds it; or KX_INSN_*. */
	uint64_t start;
};

/* The relocation that replaces it.  The addend of an in-place form is
 * final: the "32S" forms use 0 and the same symbol.  For KX_GP_GOT the
 * caller builds the slot (type PC32, same offset and addend) and why
 * says what kept the site from an in-place form. */
struct kx_gotpcrel_result {
	uint32_t type;
	uint64_t offset;
	int64_t addend;
	enum kx_gotpcrel_why why;
};

/*
 * Would knowing where the instruction at loc starts change its rewrite?
 * Not for mov, call and jmp under GOTPCREL or GOTPCRELX with no byte
 * before the opcode that could be a prefix changing them: their in-place
 * forms change no byte before the opcode and are right whether loc-3 is
 * their REX prefix or another instruction's byte.  Yes for test and the
 * ALU ops (REX.R moves, so the REX byte must be known), for
 * REX_GOTPCRELX (its promise is checked, also where the site goes through
 * the GOT anyway) and where a prefix may be.
 */
bool kx_gotpcrel_needs_start(const unsigned char *buf, size_t size, uint64_t loc, int64_t addend,
			     uint32_t type);

/*
 * Decide how the GOTPCREL-class relocation at site->loc of buf[0..size)
 * is rewritten and, for the in-place forms, rewrite the instruction's
 * bytes in buf (never a byte outside the instruction; bytes before its
 * opcode only where site->start proves them part of it).
 */
enum kx_gotpcrel_form kx_gotpcrel_rewrite(unsigned char *buf, size_t size,
					  const struct kx_gotpcrel_site *site,
					  struct kx_gotpcrel_result *res);

/* Is the call at buf[loc - 1] (rel32 at loc) a call the NOP can replace?
 * If so, write the 5-byte NOP over it and return true. */
bool kx_mcount_nop(unsigned char *buf, size_t size, uint64_t loc);

/* Does code[0..size) start with ENDBR64, the first instruction of a
 * function an indirect branch may reach under IBT? */
bool kx_is_endbr64(const unsigned char *code, size_t size);

/* Is the function code[0..size) only a jump elsewhere: an optional ENDBR64,
 * then "jmp rel32" (PC32 or PLT32) or "jmp *disp32(%rip)" (a GOTPCREL
 * type), with that relocation of the given type and addend at loc, the
 * last 4 bytes, and its symbol the destination? rustc's allocator shim
 * is made of them ("__rust_alloc_error_handler: endbr64; jmp
 * __rdl_alloc_error_handler"). */
bool kx_is_tail_jump(const unsigned char *code, size_t size, uint64_t loc, uint32_t type,
		     int64_t addend);

/* The filler of code padding (Intel SDM, "INT3"). */
#define X86_INT3 0xcc

/* Names of the mcount entry points the kernel does not export. */
bool kx_is_mcount(const char *name);

/* Relocation types the 64-bit kernel module loader applies. */
static inline bool kx_reloc_loader_ok(uint32_t type)
{
	return kx_reloc_class(type) == KX_RC_OK;
}

#endif
