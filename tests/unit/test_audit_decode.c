// SPDX-License-Identifier: GPL-2.0-only
/*
 * The audit's decoder facts (lib/decode.h) on hand-assembled bytes:
 * register-file classes, accesses below %rsp (and the kernel's barrier
 * idiom, which is not one), stack growth, branch kinds, ENDBR64; and the
 * check table's ids.
 */
#include <errno.h>
#include <stdlib.h>

#include "audit.h"
#include "check.h"
#include "decode.h"

static struct kx_decoder *dec;

static struct kx_insn decode(const char *bytes, size_t n)
{
	struct kx_insn in;
	int err = kx_decode(dec, (const uint8_t *)bytes, n, 0x40, &in);

	CHECK(!err, "decode failed");
	CHECK(in.size == n, "size %u, want %zu", in.size, n);
	CHECK(in.off == 0x40, "offset");
	return in;
}

#define D(s) decode(s, sizeof(s) - 1)

static void test_simd_classes(void)
{
	CHECK(D("\x0f\x28\xc8").simd == KX_SIMD_SSE, "movaps %%xmm0,%%xmm1 is SSE");
	CHECK(D("\xc5\xfc\x28\xc8").simd == KX_SIMD_AVX, "vmovaps %%ymm0,%%ymm1 is AVX");
	CHECK(D("\x62\xf1\x7c\x48\x28\xc8").simd == KX_SIMD_AVX512,
	      "vmovaps %%zmm0,%%zmm1 is AVX-512");
	CHECK(D("\xdd\x00").simd == KX_SIMD_X87, "fldl (%%rax) is x87 (memory operand only)");
	CHECK(D("\x0f\x6f\xc1").simd == KX_SIMD_MMX, "movq %%mm1,%%mm0 is MMX");
	CHECK(D("\x0f\x77").simd == KX_SIMD_MMX, "emms is MMX");
	CHECK(D("\x0f\xae\x10").simd == KX_SIMD_SSE, "ldmxcsr is SSE state");
	/* General-purpose instructions in SSE groups are not SIMD use. */
	CHECK(D("\xf2\x48\x0f\x38\xf1\xc1").simd == 0, "crc32q is GPR only");
	CHECK(D("\x0f\xae\xe8").simd == 0, "lfence is not SIMD");
	CHECK(D("\x0f\xc3\x00").simd == 0, "movnti %%eax,(%%rax) is not SIMD");
	CHECK(D("\x48\x89\xc3").simd == 0, "mov %%rax,%%rbx is not SIMD");
}

static void test_red_zone(void)
{
	struct kx_insn in = D("\x48\x8b\x44\x24\xf8"); /* mov -8(%rsp),%rax */

	CHECK(in.mem_below_rsp && in.rsp_disp == -8, "mov -8(%%rsp) is below %%rsp");
	CHECK(!D("\x48\x8b\x44\x24\x08").mem_below_rsp, "mov 8(%%rsp) is not");
	CHECK(!D("\x48\x8d\x44\x24\xf8").mem_below_rsp, "lea -8(%%rsp) touches no memory");
	CHECK(!D("\xf0\x83\x44\x24\xfc\x00").mem_below_rsp, "lock addl $0,-4(%%rsp) is smp_mb()");
	CHECK(D("\xf0\x83\x44\x24\xfc\x01").mem_below_rsp,
	      "lock addl $1,-4(%%rsp) is a real access");
	CHECK(!D("\x89\x54\x04\x80").mem_below_rsp, "-0x80(%%rsp,%%rax) has an unknown address");
	CHECK(!D("\x48\x8b\x45\xf8").mem_below_rsp, "-8(%%rbp) is a frame slot");
}

static void test_stack_growth(void)
{
	struct kx_insn in;

	CHECK(D("\x48\x81\xec\x00\x30\x00\x00").rsp_grow == 0x3000, "sub $0x3000,%%rsp");
	CHECK(D("\x48\x83\xc4\x80").rsp_grow == 0x80, "add $-0x80,%%rsp");
	CHECK(D("\x48\x8d\x64\x24\xc0").rsp_grow == 0x40, "lea -0x40(%%rsp),%%rsp");
	CHECK(D("\x48\x83\xc4\x40").rsp_grow == 0, "add $0x40,%%rsp frees");
	CHECK(D("\x49\x89\xe3").rsp_copy != 0, "mov %%rsp,%%r11 copies %%rsp");
	in = D("\x49\x81\xeb\x00\x00\x01\x00"); /* sub $0x10000,%r11 */
	CHECK(in.grow_reg != 0 && in.grow_imm == 0x10000, "sub $0x10000,%%r11");
}

static void test_branches(void)
{
	CHECK(D("\xe8\x00\x00\x00\x00").branch == KX_BR_CALL, "call rel32");
	CHECK(D("\xff\xd0").branch == KX_BR_ICALL, "call *%%rax");
	CHECK(D("\xff\x15\x00\x00\x00\x00").branch == KX_BR_ICALL, "call *(%%rip)");
	CHECK(D("\xff\xe0").branch == KX_BR_IJUMP, "jmp *%%rax");
	CHECK(D("\xeb\x00").branch == KX_BR_JUMP, "jmp rel8");
	CHECK(D("\x74\x00").branch == KX_BR_JUMP, "je rel8");
	CHECK(D("\xc3").branch == KX_BR_RET, "ret");
	CHECK(D("\xf3\x0f\x1e\xfa").endbr, "endbr64");
	CHECK(!D("\x90").endbr, "nop is not endbr64");
}

static void test_undecodable(void)
{
	struct kx_insn in;

	CHECK(kx_decode(dec, (const uint8_t *)"\x0f\x0b", 1, 0, &in) == -ENOEXEC,
	      "a cut instruction is not decoded");
	CHECK(kx_decode(dec, (const uint8_t *)"\x06", 1, 0, &in) == -ENOEXEC,
	      "push %%es does not exist in 64-bit mode");
}

static void test_check_table(void)
{
	int c;

	CHECK(KX_NCHECKS == 15, "issue 5's 14 checks and duplicate-symbol (issue 17), got %d",
	      KX_NCHECKS);
	for (c = 0; c < KX_NCHECKS; c++)
		CHECK(kx_check_by_id(kx_check_info(c)->id) == c, "id %s round-trips",
		      kx_check_info(c)->id);
	CHECK(kx_check_by_id("red-zone") == KX_CHK_RED_ZONE, "red-zone");
	CHECK(kx_check_by_id("no-such-check") == -1, "unknown id");
	CHECK(kx_check_info(KX_CHK_STACK_FRAME)->severity == KX_SEV_WARNING, "stack-frame warns");
	CHECK(kx_check_info(KX_CHK_FPU_SIMD)->severity == KX_SEV_ERROR, "fpu-simd errs");
}

int main(void)
{
	if (kx_decoder_new(&dec)) {
		fprintf(stderr, "capstone did not start\n");
		return 1;
	}
	test_simd_classes();
	test_red_zone();
	test_stack_growth();
	test_branches();
	test_undecodable();
	test_check_table();
	kx_decoder_free(dec);
	return check_done();
}
