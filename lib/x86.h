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
	KX_GP_MOV, /* mov -> lea */
	KX_GP_CALL, /* call *  -> addr32 call */
	KX_GP_JMP, /* jmp *   -> jmp rel32; nop */
	KX_GP_TEST, /* test    -> test $imm32 */
	KX_GP_BINOP, /* op r64, mem -> op $imm32, r64 */
	KX_GP_GOT, /* anything else: through a GOT slot */
	KX_GP_NFORMS,
};

const char *kx_gotpcrel_form_name(enum kx_gotpcrel_form form);

/*
 * Decide how the GOTPCREL-class relocation at sec[loc] (loc = offset of its
 * disp32) with the given addend is rewritten, and, for the in-place forms,
 * rewrite the instruction bytes in buf.  *new_type, *new_offset and
 * *new_addend describe the relocation that replaces it (for KX_GP_GOT the
 * caller builds the slot; bytes are untouched).  The addend of an
 * in-place form is final: "32S" forms use 0 and the caller's symbol.
 */
enum kx_gotpcrel_form kx_gotpcrel_rewrite(unsigned char *buf, size_t size,
					  uint64_t loc, int64_t addend,
					  uint32_t *new_type,
					  uint64_t *new_offset,
					  int64_t *new_addend);

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
