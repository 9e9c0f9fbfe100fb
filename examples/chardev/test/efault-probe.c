// SPDX-License-Identifier: GPL-2.0-only
/*
 * efault-probe DEVICE: read(2) and write(2) on the kelfix_echo device with
 * an unmapped user buffer must fail with EFAULT, and the device must still
 * work afterwards. Prints one line per check; exit 0 when all
 * pass.
 *
 * Built static without libc (gcc -static -nostdlib), a few kilobytes: the
 * boot test's initramfs holds only busybox, and the program travels inside
 * a --run command (base64).
 */
#define NR_read 0
#define NR_write 1
#define NR_open 2
#define O_RDWR 2
#define EFAULT 14

/* A user address no process maps (the first page). It passes the VFS's
 * access_ok() check, so the driver's own copy is what faults; a kernel
 * address would be refused by read(2)/write(2) before the driver runs (the
 * module's init self-test covers that case in copy_to_user). */
#define BAD_USER ((char *)0x10)

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static unsigned long len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *a, const char *b)
{
	sys3(NR_write, 1, (long)a, (long)len(a));
	sys3(NR_write, 1, (long)b, (long)len(b));
	sys3(NR_write, 1, (long)"\n", 1);
}

static int failures;

static void expect(const char *what, long got, long want)
{
	if (got == want) {
		say(what, ": ok");
		return;
	}
	say(what, got == -EFAULT ? ": FAIL (EFAULT)" : ": FAIL (unexpected result)");
	failures++;
}

int probe_main(long argc, char **argv);

int probe_main(long argc, char **argv)
{
	char buf[16];
	long fd, fd2;

	if (argc != 2) {
		say("usage: efault-probe ", "DEVICE");
		return 2;
	}
	fd = sys3(NR_open, (long)argv[1], O_RDWR, 0);
	if (fd < 0) {
		say("efault-probe: cannot open ", argv[1]);
		return 1;
	}
	expect("efault-probe: write from 0x10 -> EFAULT", sys3(NR_write, fd, (long)BAD_USER, 8),
	       -EFAULT);
	expect("efault-probe: write of 6 bytes", sys3(NR_write, fd, (long)"probe\n", 6), 6);
	/* A misc device of the kernel crate has no llseek: a second open
	 * file reads from position 0 (the text is the device's). */
	fd2 = sys3(NR_open, (long)argv[1], O_RDWR, 0);
	expect("efault-probe: open again", fd2 >= 0, 1);
	expect("efault-probe: read into 0x10 -> EFAULT", sys3(NR_read, fd2, (long)BAD_USER, 8),
	       -EFAULT);
	expect("efault-probe: read back 6 bytes", sys3(NR_read, fd2, (long)buf, sizeof(buf)), 6);
	expect("efault-probe: read back 'probe'",
	       buf[0] == 'p' && buf[1] == 'r' && buf[2] == 'o' && buf[3] == 'b' && buf[4] == 'e',
	       1);
	return failures ? 1 : 0;
}

/* The kernel starts us with argc at (%rsp) and argv after it. */
__asm__(".globl _start\n"
	"_start:\n"
	"	mov (%rsp), %rdi\n"
	"	lea 8(%rsp), %rsi\n"
	"	and $-16, %rsp\n"
	"	call probe_main\n"
	"	mov %eax, %edi\n"
	"	mov $60, %eax\n" /* exit */
	"	syscall\n");
