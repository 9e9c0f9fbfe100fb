// SPDX-License-Identifier: GPL-2.0-only
/* Opening inputs: archives and objects, mapped and read through libelf. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

/* Rust's standard library members of a cargo staticlib: their globals are
 * not GC roots (only what the crate reaches of them is kept). */
static const char *const stdlib_prefixes[] = {
	"core-",
	"alloc-",
	"compiler_builtins-",
	"rustc_std_workspace_core-",
	"rustc_std_workspace_alloc-",
};

bool kx_member_is_stdlib(const char *member)
{
	size_t i;

	if (!member)
		return false;
	for (i = 0; i < sizeof(stdlib_prefixes) / sizeof(stdlib_prefixes[0]); i++)
		if (!strncmp(member, stdlib_prefixes[i], strlen(stdlib_prefixes[i])))
			return true;
	return false;
}

/* give_back: see kx_object.give_back. */
static int push_obj(struct kx_inputs *in, const struct kx_file *f, const char *member, Elf *elf,
		    bool give_back)
{
	struct kx_object **objs, *obj;
	int err;

	objs = kx_grow(in->objs, &in->capobjs, in->nobjs + 1, sizeof(*objs));
	if (!objs)
		return -ENOMEM;
	in->objs = objs;
	obj = calloc(1, sizeof(*obj));
	if (!obj)
		return -ENOMEM;
	obj->path = f->path;
	obj->mapped = f->mapped;
	obj->give_back = give_back;
	obj->member = member ? strdup(member) : NULL;
	if (member && !obj->member) {
		free(obj);
		return -ENOMEM;
	}
	obj->stdlib = kx_member_is_stdlib(member);
	obj->seq = in->nobjs;
	in->objs[in->nobjs++] = obj;
	err = kx_object_load(obj, elf);
	return err;
}

/* A thin archive holds paths, not members; libelf cannot read it. */
static bool is_thin_archive(Elf *elf)
{
	size_t size;
	const char *raw = elf_rawfile(elf, &size);

	return raw && size >= 8 && !memcmp(raw, "!<thin>\n", 8);
}

#define AR_HDR_SIZE 60 /* struct ar_hdr, <ar.h> */

/* The archive's own tables, which libelf also hands out as members:
 * "/" (symbol index), "//" (long names), "/SYM64/" (64-bit index). */
static bool is_ar_index(const char *name)
{
	return !strcmp(name, "/") || !strcmp(name, "//") || !strcmp(name, "/SYM64/");
}

static int member_cmp(const void *a, const void *b)
{
	const struct kx_object *x = *(struct kx_object *const *)a;
	const struct kx_object *y = *(struct kx_object *const *)b;
	int c = strcmp(x->member, y->member);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int damaged(struct kx_file *f, const char *last)
{
	if (last)
		kx_report_file(KX_ERROR, f->path,
			       "archive damaged or truncated after member '%s': %s", last,
			       elf_errmsg(-1));
	else
		kx_report_file(KX_ERROR, f->path, "archive damaged or truncated: %s",
			       elf_errmsg(-1));
	return -ENOEXEC;
}

/* A member is let go once loaded (object.h) if its archive is mapped (its
 * bytes stay where they are; libelf's state for it goes, and the memory
 * serves the next member), and in any archive of at least this size.  In
 * a mapped archive of this size a released member's pages also leave the
 * resident set; in a smaller one only those of sections never read: the
 * whole archive is a few MB, and faulting pages in again would cost more
 * time than the memory is worth. */
#define KX_RELEASE_MIN (16u << 20)

/* Make obj, just loaded from member m of f, one that is let go and opened
 * again when needed. */
static void make_transient(struct kx_inputs *in, struct kx_file *f, struct kx_object *obj, Elf *m)
{
	obj->archive = f->elf;
	obj->archive_fd = f->fd;
	obj->aroff = elf_getaroff(m);
	obj->reopened = &in->reopened;
	/* All its pages go on release, or now those never read. */
	if (obj->mapped && !obj->give_back)
		kx_object_forget_unread(obj);
	kx_object_release(obj);
}

static int add_archive(struct kx_inputs *in, struct kx_file *f)
{
	/* Members are read as the archive is.  (ELF_C_READ would fail on an
	 * archive read from memory, fd -1.) */
	Elf_Cmd cmd = f->mapped ? ELF_C_READ_MMAP_PRIVATE : ELF_C_READ_MMAP;
	struct kx_object *obj;
	size_t end = 8; /* where the last member read ends */
	const char *last = NULL;
	size_t n = 0, first = in->nobjs, size = 0;
	bool large;
	int err;

	/* Not mapped, libelf reads the whole archive into memory here. */
	if (!elf_rawfile(f->elf, &size)) {
		kx_report_file(KX_ERROR, f->path, "cannot read: %s", elf_errmsg(-1));
		return -EIO;
	}
	large = size >= (in->release_min ? in->release_min : KX_RELEASE_MIN);
	if (size <= 8) { /* just "!<arch>\n" */
		kx_report_file(KX_ERROR, f->path, "empty archive: no members to link");
		return -ENOEXEC;
	}
	while (cmd != ELF_C_NULL) {
		Elf *m = elf_begin(f->fd, cmd, f->elf);
		Elf_Arhdr *h;
		const char *name;

		if (!m)
			return damaged(f, last);
		/* The header lives in the archive's state, which elf_next()
		 * overwrites with the next member's: use it first. */
		h = elf_getarhdr(m);
		if (!h || !h->ar_name) {
			kx_report_file(KX_ERROR, f->path,
				       "member header %s'%s' is damaged (a name "
				       "outside the long-name table, or a bad size): %s",
				       last ? "after " : "", last ? last : "at the start",
				       elf_errmsg(-1));
			elf_end(m);
			return -ENOEXEC;
		}
		name = h->ar_name;
		if (elf_getaroff(m) >= 0)
			end = (size_t)elf_getaroff(m) + AR_HDR_SIZE + h->ar_size + (h->ar_size & 1);
		/* The index and long-name table come first; libelf also names a
		 * member "/" whose long name it cannot find. */
		if (is_ar_index(name) && n) {
			kx_report_file(KX_ERROR, f->path,
				       "member header after '%s' is damaged "
				       "(its name is not in the long-name table)",
				       last);
			elf_end(m);
			return -ENOEXEC;
		}
		if (is_ar_index(name)) {
			cmd = elf_next(m);
			elf_end(m);
			continue;
		}
		err = push_obj(in, f, name, m, f->mapped && large);
		cmd = elf_next(m);
		if (err)
			return err;
		obj = in->objs[in->nobjs - 1];
		if (f->mapped || large)
			make_transient(in, f, obj, m);
		last = obj->member;
		n++;
	}
	/* libelf stops quietly at a header it cannot parse.  (A few bytes of
	 * padding at the very end are no member.) */
	if (end + AR_HDR_SIZE <= size) {
		kx_report_file(KX_ERROR, f->path,
			       "the %zu bytes after %s could not be read as "
			       "archive members: a member header is damaged",
			       size - end, last ? last : "the archive's index");
		return -ENOEXEC;
	}
	if (!n) {
		kx_report_file(KX_ERROR, f->path,
			       "no object member could be read: the member "
			       "headers are damaged");
		return -ENOEXEC;
	}
	/* Members in name order: the output does not depend on the order
	 * ar happened to store them in. */
	qsort(in->objs + first, n, sizeof(*in->objs), member_cmp);
	return 0;
}

static struct kx_file *new_file(struct kx_inputs *in, const char *name)
{
	struct kx_file *files = realloc(in->files, (in->nfiles + 1) * sizeof(*files));
	struct kx_file *f;

	/* libelf reads nothing before its version is set; callers need not
	 * have done it (kelfix --module-object reads before any link). */
	elf_version(EV_CURRENT);
	if (!files)
		return NULL;
	in->files = files;
	f = &in->files[in->nfiles];
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->path = strdup(name);
	if (!f->path)
		return NULL;
	in->nfiles++;
	return f;
}

/* f->elf is open: an archive, or an object (which then owns the handle). */
static int add_opened(struct kx_inputs *in, struct kx_file *f)
{
	Elf *e;

	if (elf_kind(f->elf) == ELF_K_AR)
		return add_archive(in, f);
	if (is_thin_archive(f->elf)) {
		kx_report_file(KX_ERROR, f->path,
			       "thin archive: its members live elsewhere; "
			       "make a normal archive (ar rcs, not ar rcsT)");
		return -ENOEXEC;
	}
	e = f->elf;
	f->elf = NULL;
	return push_obj(in, f, NULL, e, false);
}

/* f->fd is open.  A regular file is read by libelf from its own private
 * mapping (ELF_C_READ_MMAP_PRIVATE: libelf then uses section headers in
 * place, where with ELF_C_READ_MMAP it copies each member's whole table;
 * it never writes the mapping, though it maps it writable).  Anything
 * else, or a file libelf could not map, is read with ELF_C_READ_MMAP, by
 * read(2) where mmap fails. */
static int open_fd(struct kx_inputs *in, struct kx_file *f)
{
	struct stat st;
	size_t size;

	if (!fstat(f->fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0) {
		f->elf = elf_begin(f->fd, ELF_C_READ_MMAP_PRIVATE, NULL);
		/* Without its descriptor, a handle that libelf did not map
		 * cannot read its bytes: then it starts again, with one. */
		if (f->elf && !elf_cntl(f->elf, ELF_C_FDDONE) && elf_rawfile(f->elf, &size)) {
			f->mapped = true;
			close(f->fd); /* the mapping is all we read */
			f->fd = -1;
		} else if (f->elf) {
			elf_end(f->elf);
			f->elf = NULL;
		}
	}
	if (!f->elf)
		f->elf = elf_begin(f->fd, ELF_C_READ_MMAP, NULL);
	if (!f->elf) {
		kx_report_file(KX_ERROR, f->path, "cannot read: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	return add_opened(in, f);
}

int kx_inputs_add(struct kx_inputs *in, const char *path)
{
	struct kx_file *f = new_file(in, path);

	if (!f)
		return -ENOMEM;
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		kx_report_file(KX_ERROR, path, "cannot open: %s", strerror(errno));
		return -EIO;
	}
	return open_fd(in, f);
}

int kx_inputs_add_fd(struct kx_inputs *in, const char *name, int fd)
{
	struct kx_file *f = new_file(in, name);

	if (!f)
		return -ENOMEM;
	f->fd = dup(fd);
	if (f->fd < 0) {
		kx_report_file(KX_ERROR, name, "cannot read: %s", strerror(errno));
		return -EIO;
	}
	return open_fd(in, f);
}

int kx_inputs_add_mem(struct kx_inputs *in, const char *name, void *image, size_t size)
{
	struct kx_file *f = new_file(in, name);

	if (!f)
		return -ENOMEM;
	f->elf = elf_memory(image, size);
	if (!f->elf) {
		kx_report_file(KX_ERROR, name, "cannot read: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	return add_opened(in, f);
}

static int newest_first(const void *a, const void *b)
{
	size_t x = (*(struct kx_object *const *)a)->seq, y = (*(struct kx_object *const *)b)->seq;

	return x < y ? 1 : x > y ? -1 : 0;
}

void kx_inputs_free(struct kx_inputs *in)
{
	size_t i;

	/* Newest first: elfutils keeps an archive's open members in a list
	 * that elf_end() searches from the newest (quadratic otherwise). */
	if (in->nobjs)
		qsort(in->objs, in->nobjs, sizeof(*in->objs), newest_first);
	for (i = 0; i < in->nobjs; i++) {
		free((char *)in->objs[i]->member);
		kx_object_free(in->objs[i]);
		free(in->objs[i]);
	}
	for (i = 0; i < in->nfiles; i++) {
		if (in->files[i].elf)
			elf_end(in->files[i].elf);
		if (in->files[i].fd >= 0)
			close(in->files[i].fd);
		free(in->files[i].path);
	}
	free(in->objs);
	free(in->files);
	memset(in, 0, sizeof(*in));
}
