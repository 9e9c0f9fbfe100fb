// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every row of DESIGN.md's GOTPCREL table, the GOT fallbacks and the
 * mcount NOP: input bytes, expected bytes, expected relocation type,
 * offset and addend.  Expected encodings were checked against GNU as
 * (e.g. "test $0,%r11" = 49 f7 c3 imm32, "cmp $imm32,%r11" = 49 81 fb).
 * Rows give the input relocation type (0: R_X86_64_GOTPCREL) and where
 * the instruction is proven to start (0 unless said); the rows with
 * another instruction before the site check that its bytes never change.
 * Then functions that are only a jump elsewhere (kx_is_tail_jump) and
 * ones that are not, each with the relocation of its 32-bit field.
 */
#include <elf.h>

#include "check.h"
#include "x86.h"

#define MAXB 16

struct row {
	const char *name;
	unsigned char in[MAXB];
	unsigned char out[MAXB];
	size_t len;   /* instruction length */
	uint64_t loc; /* offset of the disp32 */
	int64_t addend;
	enum kx_gotpcrel_form form;
	uint32_t type; /* expected new relocation */
	uint64_t off;
	int64_t new_addend;
	uint32_t rtype;		  /* input relocation type; 0: R_X86_64_GOTPCREL */
	uint64_t start;		  /* proven instruction start, or KX_INSN_* */
	enum kx_gotpcrel_why why; /* for GOT rows */
};

#define T41 R_X86_64_GOTPCRELX
#define T42 R_X86_64_REX_GOTPCRELX
#define UNPROVEN KX_INSN_UNKNOWN

#define D0 0x00, 0x00, 0x00, 0x00

static const struct row rows[] = {
	{ "mov 64 rax",
	  { 0x48, 0x8b, 0x05, D0 },
	  { 0x48, 0x8d, 0x05, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_MOV,
	  R_X86_64_PC32,
	  3,
	  -4,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "mov 64 r11 (REX.R)",
	  { 0x4c, 0x8b, 0x1d, D0 },
	  { 0x4c, 0x8d, 0x1d, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_MOV,
	  R_X86_64_PC32,
	  3,
	  -4,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "mov 32 eax",
	  { 0x8b, 0x05, D0 },
	  { 0x8d, 0x05, D0 },
	  6,
	  2,
	  -4,
	  KX_GP_MOV,
	  R_X86_64_PC32,
	  2,
	  -4,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "call",
	  { 0xff, 0x15, D0 },
	  { 0x67, 0xe8, D0 },
	  6,
	  2,
	  -4,
	  KX_GP_CALL,
	  R_X86_64_PLT32,
	  2,
	  -4,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "jmp",
	  { 0xff, 0x25, D0 },
	  { 0xe9, D0, 0x90 },
	  6,
	  2,
	  -4,
	  KX_GP_JMP,
	  R_X86_64_PC32,
	  1,
	  -4,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "test rax",
	  { 0x48, 0x85, 0x05, D0 },
	  { 0x48, 0xf7, 0xc0, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_TEST,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "test r11 (REX.R -> REX.B)",
	  { 0x4c, 0x85, 0x1d, D0 },
	  { 0x49, 0xf7, 0xc3, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_TEST,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "add rax",
	  { 0x48, 0x03, 0x05, D0 },
	  { 0x48, 0x81, 0xc0, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "or rcx",
	  { 0x48, 0x0b, 0x0d, D0 },
	  { 0x48, 0x81, 0xc9, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "adc rdx",
	  { 0x48, 0x13, 0x15, D0 },
	  { 0x48, 0x81, 0xd2, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "sbb rbx",
	  { 0x48, 0x1b, 0x1d, D0 },
	  { 0x48, 0x81, 0xdb, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "and rsp",
	  { 0x48, 0x23, 0x25, D0 },
	  { 0x48, 0x81, 0xe4, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "sub rbp",
	  { 0x48, 0x2b, 0x2d, D0 },
	  { 0x48, 0x81, 0xed, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "xor rsi",
	  { 0x48, 0x33, 0x35, D0 },
	  { 0x48, 0x81, 0xf6, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "cmp rdi",
	  { 0x48, 0x3b, 0x3d, D0 },
	  { 0x48, 0x81, 0xff, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "cmp r11 (REX.R -> REX.B)",
	  { 0x4c, 0x3b, 0x1d, D0 },
	  { 0x49, 0x81, 0xfb, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	/* The GOT fallbacks: bytes untouched, PC32 with the same addend
	 * (the caller adds the slot offset). */
	/* REX.B means nothing beside disp32(%rip); on ModRM.rm it would name
	 * r8-r15: it goes (Intel SDM vol. 2, 2.2.1.6). */
	{ "add rax, REX.W+B",
	  { 0x49, 0x03, 0x05, D0 },
	  { 0x48, 0x81, 0xc0, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "test r9, REX.W+R+B",
	  { 0x4d, 0x85, 0x0d, D0 },
	  { 0x49, 0xf7, 0xc1, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_TEST,
	  R_X86_64_32S,
	  3,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	/* 32-bit forms keep their operand size: imm32, R_X86_64_32S. */
	{ "add 32-bit (no REX)",
	  { 0x03, 0x05, D0 },
	  { 0x81, 0xc0, D0 },
	  6,
	  2,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  2,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "test 32-bit (no REX)",
	  { 0x85, 0x05, D0 },
	  { 0xf7, 0xc0, D0 },
	  6,
	  2,
	  -4,
	  KX_GP_TEST,
	  R_X86_64_32S,
	  2,
	  0,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "add r8d (REX.R, no REX.W)",
	  { 0x44, 0x03, 0x05, D0 },
	  { 0x41, 0x81, 0xc0, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  3,
	  0,
	  T42,
	  0,
	  KX_GPW_FORM },
	/* The GOT fallbacks: bytes untouched, PC32 with the same addend
	 * (the caller adds the slot offset). */
	{ "push",
	  { 0xff, 0x35, D0 },
	  { 0xff, 0x35, D0 },
	  6,
	  2,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  2,
	  -4,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "mov, addend -8",
	  { 0x48, 0x8b, 0x05, D0 },
	  { 0x48, 0x8b, 0x05, D0 },
	  7,
	  3,
	  -8,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  3,
	  -8,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "mov, addend +4",
	  { 0x48, 0x8b, 0x05, D0 },
	  { 0x48, 0x8b, 0x05, D0 },
	  7,
	  3,
	  4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  3,
	  4,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "mov, not rip-relative (mod=10)",
	  { 0x48, 0x8b, 0x85, D0 },
	  { 0x48, 0x8b, 0x85, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  3,
	  -4,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "unknown opcode (imul)",
	  { 0x48, 0x0f, 0xaf, 0x05, D0 },
	  { 0x48, 0x0f, 0xaf, 0x05, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  4,
	  -4,
	  0,
	  0,
	  KX_GPW_FORM },
	{ "disp32 at offset 1",
	  { 0x05, D0 },
	  { 0x05, D0 },
	  5,
	  1,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  1,
	  -4,
	  0,
	  0,
	  KX_GPW_FORM },

	/* Issue 17: "movb $0x4c,%cl; addl foo@GOTPCREL(%rip),%eax".  0x4c at
	 * loc-3 is the mov's immediate, not a REX prefix: never changed. */
	{ "b1 4c; add eax, type 9, proven",
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  { 0xb1, 0x4c, 0x81, 0xc0, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  4,
	  0,
	  0,
	  2,
	  KX_GPW_FORM },
	{ "b1 4c; add eax, type 41, proven",
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  { 0xb1, 0x4c, 0x81, 0xc0, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  4,
	  0,
	  T41,
	  2,
	  KX_GPW_FORM },
	{ "b1 4c; add eax, type 9, unproven",
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  4,
	  -4,
	  0,
	  UNPROVEN,
	  KX_GPW_UNPROVEN },
	{ "b1 4c; add eax, type 41, unproven",
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  4,
	  -4,
	  T41,
	  UNPROVEN,
	  KX_GPW_UNPROVEN },
	/* Type 42 promises a REX prefix that is not there: through the GOT. */
	{ "b1 4c; add eax, type 42, proven",
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  4,
	  -4,
	  T42,
	  2,
	  KX_GPW_NO_REX },
	{ "b1 4c; add eax, type 42, unproven",
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  { 0xb1, 0x4c, 0x03, 0x05, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  4,
	  -4,
	  T42,
	  UNPROVEN,
	  KX_GPW_UNPROVEN },
	{ "b1 4c; mov eax, type 42, proven",
	  { 0xb1, 0x4c, 0x8b, 0x05, D0 },
	  { 0xb1, 0x4c, 0x8b, 0x05, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  4,
	  -4,
	  T42,
	  2,
	  KX_GPW_NO_REX },
	{ "42 at offset 2: no byte for a REX",
	  { 0xff, 0x15, D0 },
	  { 0xff, 0x15, D0 },
	  6,
	  2,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  2,
	  -4,
	  T42,
	  UNPROVEN,
	  KX_GPW_NO_REX },
	/* Unproven, the forms that touch no byte before the opcode. */
	{ "b1 4c; mov eax, type 41, unproven",
	  { 0xb1, 0x4c, 0x8b, 0x05, D0 },
	  { 0xb1, 0x4c, 0x8d, 0x05, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_MOV,
	  R_X86_64_PC32,
	  4,
	  -4,
	  T41,
	  UNPROVEN,
	  KX_GPW_FORM },
	{ "b1 48; call, type 9, unproven",
	  { 0xb1, 0x48, 0xff, 0x15, D0 },
	  { 0xb1, 0x48, 0x67, 0xe8, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_CALL,
	  R_X86_64_PLT32,
	  4,
	  -4,
	  0,
	  UNPROVEN,
	  KX_GPW_FORM },
	{ "b1 4c; jmp, type 41, unproven",
	  { 0xb1, 0x4c, 0xff, 0x25, D0 },
	  { 0xb1, 0x4c, 0xe9, D0, 0x90 },
	  8,
	  4,
	  -4,
	  KX_GP_JMP,
	  R_X86_64_PC32,
	  3,
	  -4,
	  T41,
	  UNPROVEN,
	  KX_GPW_FORM },
	{ "b1 4c; 48 test, type 42, unproven",
	  { 0xb1, 0x4c, 0x48, 0x85, 0x0d, D0 },
	  { 0xb1, 0x4c, 0x48, 0x85, 0x0d, D0 },
	  9,
	  5,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  5,
	  -4,
	  T42,
	  UNPROVEN,
	  KX_GPW_UNPROVEN },
	/* Proven REX after another instruction's 0x4c: only the REX changes. */
	{ "b1 4c; 4c test r11, type 42, proven",
	  { 0xb1, 0x4c, 0x4c, 0x85, 0x1d, D0 },
	  { 0xb1, 0x4c, 0x49, 0xf7, 0xc3, D0 },
	  9,
	  5,
	  -4,
	  KX_GP_TEST,
	  R_X86_64_32S,
	  5,
	  0,
	  T42,
	  2,
	  KX_GPW_FORM },
	{ "b1 4c; 48 add rcx, type 9, proven",
	  { 0xb1, 0x4c, 0x48, 0x03, 0x0d, D0 },
	  { 0xb1, 0x4c, 0x48, 0x81, 0xc1, D0 },
	  9,
	  5,
	  -4,
	  KX_GP_BINOP,
	  R_X86_64_32S,
	  5,
	  0,
	  0,
	  2,
	  KX_GPW_FORM },
	/* Legacy prefixes: through the GOT. */
	{ "66 48 add, proven",
	  { 0x66, 0x48, 0x03, 0x05, D0 },
	  { 0x66, 0x48, 0x03, 0x05, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  4,
	  -4,
	  T42,
	  0,
	  KX_GPW_PREFIX },
	{ "67 mov (addr32), proven",
	  { 0x67, 0x8b, 0x05, D0 },
	  { 0x67, 0x8b, 0x05, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  3,
	  -4,
	  0,
	  0,
	  KX_GPW_PREFIX },
	{ "64 mov (%fs), unproven",
	  { 0x64, 0x8b, 0x05, D0 },
	  { 0x64, 0x8b, 0x05, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  3,
	  -4,
	  T41,
	  UNPROVEN,
	  KX_GPW_UNPROVEN },
	{ "65 48 mov (%gs), unproven",
	  { 0x65, 0x48, 0x8b, 0x05, D0 },
	  { 0x65, 0x48, 0x8b, 0x05, D0 },
	  8,
	  4,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  4,
	  -4,
	  T42,
	  UNPROVEN,
	  KX_GPW_UNPROVEN },
	/* Decoding found no instruction whose disp32 is there. */
	{ "not an instruction's disp32",
	  { 0x48, 0x8b, 0x05, D0 },
	  { 0x48, 0x8b, 0x05, D0 },
	  7,
	  3,
	  -4,
	  KX_GP_GOT,
	  R_X86_64_PC32,
	  3,
	  -4,
	  T42,
	  KX_INSN_NOT_AT_LOC,
	  KX_GPW_DECODE },
};

static void test_row(const struct row *r)
{
	unsigned char buf[MAXB];
	struct kx_gotpcrel_site site = { r->loc, r->addend, r->rtype ? r->rtype : R_X86_64_GOTPCREL,
					 r->start };
	struct kx_gotpcrel_result res;
	enum kx_gotpcrel_form form;

	memcpy(buf, r->in, MAXB);
	form = kx_gotpcrel_rewrite(buf, r->len, &site, &res);
	CHECK(form == r->form, "%s: form %s, want %s", r->name, kx_gotpcrel_form_name(form),
	      kx_gotpcrel_form_name(r->form));
	check_hex(r->name, buf, r->out, r->len);
	CHECK(!memcmp(buf + r->len, r->in + r->len, MAXB - r->len), "%s: no byte after it changed",
	      r->name);
	CHECK(res.type == r->type, "%s: relocation %s, want %s", r->name, kx_reloc_name(res.type),
	      kx_reloc_name(r->type));
	CHECK(res.offset == r->off, "%s: offset %llu, want %llu", r->name,
	      (unsigned long long)res.offset, (unsigned long long)r->off);
	CHECK(res.addend == r->new_addend, "%s: addend %lld, want %lld", r->name,
	      (long long)res.addend, (long long)r->new_addend);
	if (form == KX_GP_GOT)
		CHECK(res.why == r->why, "%s: GOT because '%s', want '%s'", r->name,
		      kx_gotpcrel_why_name(res.why), kx_gotpcrel_why_name(r->why));
}

static void test_mcount(void)
{
	unsigned char call[] = { 0x55, 0xe8, D0, 0xc3 };
	const unsigned char nop[] = { 0x55, 0x0f, 0x1f, 0x44, 0x00, 0x00, 0xc3 };
	unsigned char jmp[] = { 0xe9, D0 };
	const unsigned char jmp_same[] = { 0xe9, D0 };

	CHECK(kx_mcount_nop(call, sizeof(call), 2), "call mcount is made a NOP");
	check_hex("mcount call -> nopl 0(%rax,%rax,1)", call, nop, sizeof(nop));
	CHECK(!kx_mcount_nop(jmp, sizeof(jmp), 1), "a jmp is not an mcount call");
	check_hex("jmp left alone", jmp, jmp_same, sizeof(jmp));
	CHECK(kx_is_mcount("mcount") && kx_is_mcount("_mcount"), "mcount names");
	CHECK(!kx_is_mcount("__fentry__"), "__fentry__ is exported by the kernel");
}

static void test_reloc_table(void)
{
	/* arch/x86/kernel/module.c applies exactly these. */
	static const uint32_t ok[] = { R_X86_64_NONE, R_X86_64_64,    R_X86_64_PC32,
				       R_X86_64_32S,  R_X86_64_PLT32, R_X86_64_PC64 };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		CHECK(kx_reloc_loader_ok(ok[i]), "%s is loader-ok", kx_reloc_name(ok[i]));
	CHECK(kx_reloc_class(R_X86_64_GOTPCREL) == KX_RC_GOTPCREL, "type 9");
	CHECK(kx_reloc_class(R_X86_64_GOTPCRELX) == KX_RC_GOTPCREL, "type 41");
	CHECK(kx_reloc_class(R_X86_64_REX_GOTPCRELX) == KX_RC_GOTPCREL, "type 42");
	CHECK(kx_reloc_class(R_X86_64_32) == KX_RC_ABS32, "type 10");
	CHECK(kx_reloc_class(R_X86_64_TPOFF32) == KX_RC_TLS, "TPOFF32 is TLS");
	CHECK(kx_reloc_class(R_X86_64_GOTTPOFF) == KX_RC_TLS, "GOTTPOFF is TLS");
	CHECK(kx_reloc_class(R_X86_64_GOTOFF64) == KX_RC_BAD, "GOTOFF64 is refused");
	CHECK(kx_reloc_class(200) == KX_RC_UNKNOWN, "unknown type");
	CHECK(kx_reloc_size(R_X86_64_64) == 8 && kx_reloc_size(R_X86_64_PC32) == 4, "sizes");
}

#define ENDBR 0xf3, 0x0f, 0x1e, 0xfa

struct jump_row {
	const char *name;
	unsigned char code[MAXB];
	size_t size;  /* the function's st_size */
	uint64_t loc; /* offset of its relocation */
	uint32_t type;
	int64_t addend;
	bool is_jump;
};

static const struct jump_row jump_rows[] = {
	/* rustc's allocator shim, built with -Zcf-protection=branch -Zplt=yes */
	{ "endbr64; jmp rel32", { ENDBR, 0xe9, D0 }, 9, 5, R_X86_64_PLT32, -4, true },
	{ "jmp rel32 (PC32)", { 0xe9, D0 }, 5, 1, R_X86_64_PC32, -4, true },
	/* the same without -Zplt: PIC, through the GOT */
	{ "endbr64; jmp *x@GOTPCREL",
	  { ENDBR, 0xff, 0x25, D0 },
	  10,
	  6,
	  R_X86_64_GOTPCRELX,
	  -4,
	  true },
	{ "jmp *x@GOTPCREL", { 0xff, 0x25, D0 }, 6, 2, R_X86_64_GOTPCREL, -4, true },
	{ "jmp rel32 with a GOTPCREL", { 0xe9, D0 }, 5, 1, R_X86_64_GOTPCREL, -4, false },
	{ "jmp * with a PLT32", { 0xff, 0x25, D0 }, 6, 2, R_X86_64_PLT32, -4, false },
	{ "call rel32", { ENDBR, 0xe8, D0 }, 9, 5, R_X86_64_PLT32, -4, false },
	{ "call *x@GOTPCREL", { 0xff, 0x15, D0 }, 6, 2, R_X86_64_GOTPCRELX, -4, false },
	{ "push first", { 0x55, 0xe9, D0 }, 6, 2, R_X86_64_PLT32, -4, false },
	{ "a byte after the jump", { 0xe9, D0, 0xcc }, 6, 1, R_X86_64_PLT32, -4, false },
	{ "jmp to target+8", { 0xe9, D0 }, 5, 1, R_X86_64_PLT32, 4, false },
	{ "relocation not at the field", { ENDBR, 0xe9, D0 }, 9, 4, R_X86_64_PLT32, -4, false },
	{ "endbr64 alone", { ENDBR }, 4, 0, R_X86_64_PLT32, -4, false },
};

static void test_tail_jumps(void)
{
	size_t i;

	for (i = 0; i < sizeof(jump_rows) / sizeof(jump_rows[0]); i++) {
		const struct jump_row *r = &jump_rows[i];

		CHECK(kx_is_tail_jump(r->code, r->size, r->loc, r->type, r->addend) == r->is_jump,
		      "%s: %s", r->name, r->is_jump ? "a jump elsewhere" : "not one");
	}
}

struct start_row {
	const char *name;
	unsigned char code[MAXB];
	size_t size;
	uint64_t loc;
	uint32_t type;
	bool needs; /* decoding from the function's start can change the rewrite */
};

static const struct start_row start_rows[] = {
	/* mov, call, jmp touch no byte before the opcode: the same either way */
	{ "b1 4c; mov, 41", { 0xb1, 0x4c, 0x8b, 0x05, D0 }, 8, 4, R_X86_64_GOTPCRELX, false },
	{ "48 mov, 9", { 0x48, 0x8b, 0x05, D0 }, 7, 3, R_X86_64_GOTPCREL, false },
	{ "call, 41", { 0xff, 0x15, D0 }, 6, 2, R_X86_64_GOTPCRELX, false },
	{ "b1 48; jmp, 9", { 0xb1, 0x48, 0xff, 0x25, D0 }, 8, 4, R_X86_64_GOTPCREL, false },
	/* no in-place form: nothing to decide */
	{ "push, 41", { 0xff, 0x35, D0 }, 6, 2, R_X86_64_GOTPCRELX, false },
	/* the REX byte must be known */
	{ "b1 4c; add, 41", { 0xb1, 0x4c, 0x03, 0x05, D0 }, 8, 4, R_X86_64_GOTPCRELX, true },
	{ "48 test, 9", { 0x48, 0x85, 0x0d, D0 }, 7, 3, R_X86_64_GOTPCREL, true },
	/* REX_GOTPCRELX's promise is checked, whatever the form */
	{ "48 mov, 42", { 0x48, 0x8b, 0x05, D0 }, 7, 3, R_X86_64_REX_GOTPCRELX, true },
	{ "push, 42", { 0xff, 0x35, D0 }, 6, 2, R_X86_64_REX_GOTPCRELX, true },
	/* a byte that may be a prefix changing the instruction */
	{ "64 mov, 41", { 0x64, 0x8b, 0x05, D0 }, 7, 3, R_X86_64_GOTPCRELX, true },
	{ "67 48 mov, 9", { 0x67, 0x48, 0x8b, 0x05, D0 }, 8, 4, R_X86_64_GOTPCREL, true },
};

static void test_needs_start(void)
{
	size_t i;

	for (i = 0; i < sizeof(start_rows) / sizeof(start_rows[0]); i++) {
		const struct start_row *r = &start_rows[i];

		CHECK(kx_gotpcrel_needs_start(r->code, r->size, r->loc, -4, r->type) == r->needs,
		      "%s: %s", r->name, r->needs ? "decoded" : "not decoded");
	}
	CHECK(!kx_gotpcrel_needs_start(start_rows[5].code, 8, 4, -8, R_X86_64_GOTPCRELX),
	      "addend -8: GOT whatever the start");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		test_row(&rows[i]);
	test_mcount();
	test_reloc_table();
	test_tail_jumps();
	test_needs_start();
	return check_done();
}
