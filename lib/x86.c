// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86-64 relocation facts and instruction rewrites.
 *
 * The GOTPCREL relaxations are the ones of the x86-64 psABI ("Optimize
 * GOTPCRELX Relocations", as GNU ld and lld do them), applied to all of
 * R_X86_64_GOTPCREL, GOTPCRELX and REX_GOTPCRELX once the bytes have been
 * checked.  loc is the offset of the disp32; loc-1 the ModRM byte, loc-2
 * the opcode, loc-3 the REX prefix.
 */
#include "x86.h"

#include <elf.h>
#include <string.h>

struct reloc_info {
	const char *name;
	unsigned size;
	enum kx_reloc_class cls;
};

#define KX_RELOC(n, v, sz, c) [v] = { "R_X86_64_" #n, sz, KX_RC_##c },
static const struct reloc_info reloc_table[] = {
#include "x86_relocs.def"
};
#undef KX_RELOC

#define NRELOC (sizeof(reloc_table) / sizeof(reloc_table[0]))

enum kx_reloc_class kx_reloc_class(uint32_t type)
{
	return type < NRELOC ? reloc_table[type].cls : KX_RC_UNKNOWN;
}

const char *kx_reloc_name(uint32_t type)
{
	return type < NRELOC ? reloc_table[type].name : NULL;
}

unsigned kx_reloc_size(uint32_t type)
{
	return type < NRELOC ? reloc_table[type].size : 0;
}

static const char *const form_names[KX_GP_NFORMS] = {
	[KX_GP_MOV] = "mov->lea",
	[KX_GP_CALL] = "call->addr32 call",
	[KX_GP_JMP] = "jmp->jmp rel32",
	[KX_GP_TEST] = "test->test imm32",
	[KX_GP_BINOP] = "binop->binop imm32",
	[KX_GP_GOT] = "GOT slot",
};

const char *kx_gotpcrel_form_name(enum kx_gotpcrel_form form)
{
	return form < KX_GP_NFORMS ? form_names[form] : "?";
}

/* Instruction bytes (Intel SDM vol. 2, opcode map). */
#define OP_MOV_LOAD 0x8b /* mov r, r/m */
#define OP_LEA 0x8d
#define OP_GRP5 0xff /* /2 call, /4 jmp, /6 push */
#define OP_TEST 0x85 /* test r/m, r */
#define OP_GRP3 0xf7 /* /0 test r/m, imm32 */
#define OP_GRP1 0x81 /* /op r/m, imm32 */
#define OP_CALL_REL 0xe8
#define OP_JMP_REL 0xe9
#define PFX_ADDR32 0x67
#define OP_NOP 0x90
#define MODRM_RIP 0x05 /* mod=00 rm=101: disp32(%rip) */
#define MODRM_CALL_RIP 0x15 /* ff /2, disp32(%rip) */
#define MODRM_JMP_RIP 0x25 /* ff /4, disp32(%rip) */
#define REX_W 0x08
#define REX_R 0x04
#define REX_B 0x01

static bool modrm_is_rip(unsigned char modrm)
{
	return (modrm & 0xc7) == MODRM_RIP;
}

static bool is_rex_w(unsigned char b)
{
	return (b & 0xf0) == 0x40 && (b & REX_W);
}

/* The eight "op r64, r/m64" ALU opcodes: add or adc sbb and sub xor cmp.
 * (op & 0x38) is the /digit of the same operation in group 1 (0x81). */
static bool is_alu_load(unsigned char op)
{
	return (op & 0xc7) == 0x03;
}

/* REX.R extends ModRM.reg; once reg moves to ModRM.rm it must be REX.B. */
static unsigned char rex_r_to_b(unsigned char rex)
{
	return (rex & ~REX_R) | ((rex & REX_R) >> 2);
}

enum kx_gotpcrel_form kx_gotpcrel_rewrite(unsigned char *buf, size_t size,
					  uint64_t loc, int64_t addend,
					  uint32_t *new_type,
					  uint64_t *new_offset,
					  int64_t *new_addend)
{
	unsigned char op, modrm, rex, reg;

	*new_offset = loc;
	*new_addend = addend;
	*new_type = R_X86_64_PC32;
	if (addend != -4 || loc < 2 || loc + 4 > size)
		return KX_GP_GOT;
	op = buf[loc - 2];
	modrm = buf[loc - 1];
	rex = loc >= 3 ? buf[loc - 3] : 0;
	reg = (modrm >> 3) & 7;

	if (op == OP_MOV_LOAD && modrm_is_rip(modrm)) {
		buf[loc - 2] = OP_LEA;
		return KX_GP_MOV;
	}
	if (op == OP_GRP5 && modrm == MODRM_CALL_RIP) {
		buf[loc - 2] = PFX_ADDR32;
		buf[loc - 1] = OP_CALL_REL;
		*new_type = R_X86_64_PLT32;
		return KX_GP_CALL;
	}
	if (op == OP_GRP5 && modrm == MODRM_JMP_RIP) {
		buf[loc - 2] = OP_JMP_REL;
		memset(buf + loc - 1, 0, 4);
		buf[loc + 3] = OP_NOP;
		*new_offset = loc - 1;
		return KX_GP_JMP;
	}
	if (!is_rex_w(rex) || !modrm_is_rip(modrm))
		return KX_GP_GOT;
	if (op == OP_TEST) {
		buf[loc - 3] = rex_r_to_b(rex);
		buf[loc - 2] = OP_GRP3;
		buf[loc - 1] = 0xc0 | reg;
		*new_type = R_X86_64_32S;
		*new_addend = 0;
		return KX_GP_TEST;
	}
	if (is_alu_load(op)) {
		buf[loc - 3] = rex_r_to_b(rex);
		buf[loc - 2] = OP_GRP1;
		buf[loc - 1] = 0xc0 | (op & 0x38) | reg;
		*new_type = R_X86_64_32S;
		*new_addend = 0;
		return KX_GP_BINOP;
	}
	return KX_GP_GOT;
}

/* The 5-byte NOP: nopl 0x0(%rax,%rax,1) (Intel SDM, "NOP"). */
static const unsigned char nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

bool kx_mcount_nop(unsigned char *buf, size_t size, uint64_t loc)
{
	if (loc < 1 || loc + 4 > size || buf[loc - 1] != OP_CALL_REL)
		return false;
	memcpy(buf + loc - 1, nop5, sizeof(nop5));
	return true;
}

/* ENDBR64 (Intel SDM, "ENDBR64"). */
static const unsigned char endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

bool kx_is_endbr64(const unsigned char *code, size_t size)
{
	return size >= sizeof(endbr64) && !memcmp(code, endbr64, sizeof(endbr64));
}

bool kx_is_tail_jump(const unsigned char *code, size_t size, uint64_t loc, uint32_t type,
		     int64_t addend)
{
	size_t at = kx_is_endbr64(code, size) ? sizeof(endbr64) : 0;

	if (addend != -4 || loc + 4 != size)
		return false;
	if (loc == at + 1 && code[at] == OP_JMP_REL)
		return type == R_X86_64_PC32 || type == R_X86_64_PLT32;
	return loc == at + 2 && code[at] == OP_GRP5 && code[at + 1] == MODRM_JMP_RIP &&
	       kx_reloc_class(type) == KX_RC_GOTPCREL;
}

/* x86 kernels since 5.2 export only __fentry__ (arch/x86/kernel/ftrace_64.S);
 * clang -pg without -mfentry calls mcount, GCC's spelling is _mcount. */
bool kx_is_mcount(const char *name)
{
	return !strcmp(name, "mcount") || !strcmp(name, "_mcount");
}
