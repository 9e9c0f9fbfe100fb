// SPDX-License-Identifier: GPL-2.0-only
/* .ko.xz: the whole file through liblzma's stream decoder into memory
 * (libelf reads only uncompressed files). */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lzma.h>

#include "diag.h"

static int decode(const char *path, const uint8_t *in, size_t insize, unsigned char **image,
		  size_t *size)
{
	lzma_stream s = LZMA_STREAM_INIT;
	size_t cap = insize * 4 + 4096;
	unsigned char *out = malloc(cap);
	lzma_ret r;

	if (!out)
		return -ENOMEM;
	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
		free(out);
		return -ENOMEM;
	}
	s.next_in = in;
	s.avail_in = insize;
	s.next_out = out;
	s.avail_out = cap;
	while ((r = lzma_code(&s, LZMA_FINISH)) == LZMA_OK) {
		size_t used = cap - s.avail_out;
		unsigned char *p = realloc(out, cap *= 2);

		if (!p) {
			r = LZMA_MEM_ERROR;
			break;
		}
		out = p;
		s.next_out = out + used;
		s.avail_out = cap - used;
	}
	*size = cap - s.avail_out;
	lzma_end(&s);
	if (r != LZMA_STREAM_END) {
		free(out);
		if (r == LZMA_MEM_ERROR)
			return -ENOMEM;
		kx_report_file(KX_ERROR, path, "not a valid .xz file (liblzma error %d)", (int)r);
		return -ENOEXEC;
	}
	*image = out;
	return 0;
}

int kx_xz_read(const char *path, unsigned char **image, size_t *size)
{
	struct stat st;
	void *map;
	int fd, err;

	*image = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		kx_report_file(KX_ERROR, path, "cannot open: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	if (!st.st_size) {
		close(fd);
		kx_report_file(KX_ERROR, path, "empty file");
		return -ENOEXEC;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		kx_report_file(KX_ERROR, path, "cannot read: %s", strerror(errno));
		return -EIO;
	}
	err = decode(path, map, (size_t)st.st_size, image, size);
	munmap(map, (size_t)st.st_size);
	return err;
}
