// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86-64 relocation facts and instruction rewrites.
 *
 * The GOTPCREL relaxations are the ones of the x86-64 psABI ("Optimize
 * GOTPCRELX Relocations", as GNU ld and lld do them), applied to all of
 * R_X86_64_GOTPCREL, GOTPCRELX and REX_GOTPCRELX once the bytes have been
 * checked.  loc is the offset of the disp32; loc-1 the ModRM byte, loc-2
 * the opcode.  loc-3 is the instruction's REX prefix only when decoding
 * from the function's start says so (site->start): otherwise it may be the
 * last byte of the previous instruction, which must never be read as a
 * prefix nor changed.  REX_GOTPCRELX promises a REX prefix; a site where
 * there is none is not what its relocation says and goes through the GOT.
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

static const char *const why_names[KX_GPW_N] = {
	[KX_GPW_FORM] = "no in-place form",	  [KX_GPW_UNPROVEN] = "insn start unproven",
	[KX_GPW_PREFIX] = "legacy prefix",	  [KX_GPW_NO_REX] = "REX_GOTPCRELX, no REX",
	[KX_GPW_DECODE] = "not an insn's disp32",
};

const char *kx_gotpcrel_why_name(enum kx_gotpcrel_why why)
{
	return why < KX_GPW_N ? why_names[why] : "?";
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
#define MODRM_RIP 0x05	    /* mod=00 rm=101: disp32(%rip) */
#define MODRM_CALL_RIP 0x15 /* ff /2, disp32(%rip) */
#define MODRM_JMP_RIP 0x25  /* ff /4, disp32(%rip) */
#define REX_R 0x04
#define REX_B 0x01

/* Bytes that, just before an opcode, would change what it does or make
 * it no opcode at all: the legacy prefixes (Intel SDM vol. 2, 2.1.1:
 * lock, rep, segment, operand and address size), the two-byte opcode
 * escape (0f) and the VEX/EVEX prefixes (c4, c5, 62; 2.3.5, 2.6.1). */
static const unsigned char prefix_like[] = {
	0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0x0f, 0xc4, 0xc5, 0x62,
};

static bool is_prefix_like(unsigned char b)
{
	return memchr(prefix_like, b, sizeof(prefix_like)) != NULL;
}

/* REX (0x40-0x4f) is one byte, and only immediately before the opcode. */
static bool is_rex(unsigned char b)
{
	return (b & 0xf0) == 0x40;
}

static bool modrm_is_rip(unsigned char modrm)
{
	return (modrm & 0xc7) == MODRM_RIP;
}

/* The eight "op r, r/m" ALU opcodes: add or adc sbb and sub xor cmp.
 * (op & 0x38) is the /digit of the same operation in group 1 (0x81). */
static bool is_alu_load(unsigned char op)
{
	return (op & 0xc7) == 0x03;
}

/* REX.R extends ModRM.reg; once reg moves to ModRM.rm it must be REX.B.
 * A REX.B the input had meant nothing beside disp32(%rip) (Intel SDM vol.
 * 2, 2.2.1.6); kept, it would name r8-r15. */
static unsigned char rex_r_to_b(unsigned char rex)
{
	return (rex & ~(REX_R | REX_B)) | ((rex & REX_R) >> 2);
}

/* The form the opcode and ModRM at loc-2, loc-1 ask for. */
static enum kx_gotpcrel_form form_of(unsigned char op, unsigned char modrm)
{
	if (op == OP_MOV_LOAD && modrm_is_rip(modrm))
		return KX_GP_MOV;
	if (op == OP_GRP5 && modrm == MODRM_CALL_RIP)
		return KX_GP_CALL;
	if (op == OP_GRP5 && modrm == MODRM_JMP_RIP)
		return KX_GP_JMP;
	if (op == OP_TEST && modrm_is_rip(modrm))
		return KX_GP_TEST;
	if (is_alu_load(op) && modrm_is_rip(modrm))
		return KX_GP_BINOP;
	return KX_GP_GOT;
}

/* What the bytes before the opcode are. */
enum prefix_kind {
	PFX_NONE,    /* proven: the opcode is the first byte */
	PFX_REX,     /* proven: one REX prefix, at loc-3 */
	PFX_OTHER,   /* proven: other prefixes (or an opcode escape) */
	PFX_UNKNOWN, /* not proven */
};

static enum prefix_kind prefix_of(const unsigned char *buf, const struct kx_gotpcrel_site *site)
{
	uint64_t op = site->loc - 2;

	if (site->start > op)
		return PFX_UNKNOWN;
	if (site->start == op)
		return PFX_NONE;
	return site->start + 1 == op && is_rex(buf[op - 1]) ? PFX_REX : PFX_OTHER;
}

/* Where the start is not proven, the forms that change no byte before
 * the opcode (mov, call, jmp) are still right whatever loc-3 is (a REX
 * prefix, which keeps its meaning, or a byte of another instruction), as
 * long as no prefix that changes them (addr32, a segment) can be there. */
static bool may_have_legacy_prefix(const unsigned char *buf, uint64_t loc)
{
	uint64_t at = loc - 2;

	if (at > 0 && is_rex(buf[at - 1]))
		at--;
	return at > 0 && is_prefix_like(buf[at - 1]);
}

/* Why the site cannot be rewritten in place, or KX_GPW_N if it can. */
static enum kx_gotpcrel_why why_not(const unsigned char *buf, const struct kx_gotpcrel_site *site,
				    enum prefix_kind pfx, enum kx_gotpcrel_form form)
{
	/* Proven, or (not proven) the byte before the opcode could be one. */
	bool rex = pfx == PFX_REX ||
		   (pfx != PFX_NONE && site->loc >= 3 && is_rex(buf[site->loc - 3]));

	if (site->start == KX_INSN_NOT_AT_LOC)
		return KX_GPW_DECODE;
	if (site->type == R_X86_64_REX_GOTPCRELX && !rex)
		return KX_GPW_NO_REX;
	if (form == KX_GP_GOT)
		return KX_GPW_FORM;
	if (pfx == PFX_OTHER)
		return KX_GPW_PREFIX;
	if (pfx != PFX_UNKNOWN)
		return KX_GPW_N;
	/* test and binop move REX.R to REX.B: they need the REX byte known. */
	if (form == KX_GP_TEST || form == KX_GP_BINOP || may_have_legacy_prefix(buf, site->loc))
		return KX_GPW_UNPROVEN;
	return KX_GPW_N;
}

/*
 * test and the ALU ops take an immediate in place of the memory operand,
 * with the operand size they had: a 64-bit one (REX.W) the sign-extended
 * imm32, a 32-bit one the imm32 itself.  Both get R_X86_64_32S: the
 * address, checked to be a sign-extended 32-bit value (kernel and module
 * addresses are, in the top 2 GB), whose low 32 bits are what a 32-bit
 * load from the GOT slot would have read.  R_X86_64_32 would give the
 * same bits but fails the loader's overflow check for every kernel
 * address (arch/x86/kernel/module.c).
 */
static void to_immediate(unsigned char *buf, uint64_t loc, enum prefix_kind pfx,
			 unsigned char opcode, unsigned char modrm, struct kx_gotpcrel_result *res)
{
	if (pfx == PFX_REX)
		buf[loc - 3] = rex_r_to_b(buf[loc - 3]);
	buf[loc - 2] = opcode;
	buf[loc - 1] = modrm;
	res->type = R_X86_64_32S;
	res->addend = 0;
}

static void rewrite_form(unsigned char *buf, uint64_t loc, enum prefix_kind pfx,
			 enum kx_gotpcrel_form form, struct kx_gotpcrel_result *res)
{
	unsigned char op = buf[loc - 2], reg = (buf[loc - 1] >> 3) & 7;

	switch (form) {
	case KX_GP_MOV:
		buf[loc - 2] = OP_LEA;
		break;
	case KX_GP_CALL:
		buf[loc - 2] = PFX_ADDR32;
		buf[loc - 1] = OP_CALL_REL;
		res->type = R_X86_64_PLT32;
		break;
	case KX_GP_JMP:
		buf[loc - 2] = OP_JMP_REL;
		memset(buf + loc - 1, 0, 4);
		buf[loc + 3] = OP_NOP;
		res->offset = loc - 1;
		break;
	case KX_GP_TEST:
		to_immediate(buf, loc, pfx, OP_GRP3, 0xc0 | reg, res);
		break;
	case KX_GP_BINOP:
		to_immediate(buf, loc, pfx, OP_GRP1, 0xc0 | (op & 0x38) | reg, res);
		break;
	default:
		break;
	}
}

bool kx_gotpcrel_needs_start(const unsigned char *buf, size_t size, uint64_t loc, int64_t addend,
			     uint32_t type)
{
	enum kx_gotpcrel_form form;

	if (addend != -4 || loc < 2 || loc > size || size - loc < 4)
		return false;
	if (type == R_X86_64_REX_GOTPCRELX)
		return true;
	form = form_of(buf[loc - 2], buf[loc - 1]);
	return form == KX_GP_TEST || form == KX_GP_BINOP ||
	       (form != KX_GP_GOT && may_have_legacy_prefix(buf, loc));
}

enum kx_gotpcrel_form kx_gotpcrel_rewrite(unsigned char *buf, size_t size,
					  const struct kx_gotpcrel_site *site,
					  struct kx_gotpcrel_result *res)
{
	uint64_t loc = site->loc;
	enum kx_gotpcrel_form form;
	enum prefix_kind pfx;

	res->offset = loc;
	res->addend = site->addend;
	res->type = R_X86_64_PC32;
	res->why = KX_GPW_FORM;
	if (site->addend != -4 || loc < 2 || loc > size || size - loc < 4)
		return KX_GP_GOT;
	pfx = prefix_of(buf, site);
	form = form_of(buf[loc - 2], buf[loc - 1]);
	res->why = why_not(buf, site, pfx, form);
	if (res->why != KX_GPW_N)
		return KX_GP_GOT;
	rewrite_form(buf, loc, pfx, form, res);
	return form;
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
